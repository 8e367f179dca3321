package dev.weft.sim.report;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.weft.sim.engine.SimResult;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The JSON report: one entry per run, fields in a fixed order, so equal runs give equal bytes. */
public final class JsonReport {
  private static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT);

  private JsonReport() {}

  /** The report of {@code runs} (same scenario and seed, one per routing mode). */
  public static String of(List<SimResult> runs) {
    Map<String, Object> root = new LinkedHashMap<>();
    if (!runs.isEmpty()) {
      root.put("scenario", runs.get(0).scenario());
      root.put("seed", runs.get(0).seed());
    }
    List<Object> rs = new ArrayList<>();
    for (SimResult r : runs) {
      rs.add(r.toMap());
    }
    root.put("runs", rs);
    try {
      return MAPPER.writeValueAsString(root) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("report is made of maps, lists and numbers", e);
    }
  }
}
