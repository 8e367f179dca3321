package dev.weft.cli.admin;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.weft.core.identity.PeerId;
import java.io.IOException;

/** The admin API's JSON mapper: peer IDs as base58 text, records by their components. */
public final class AdminJson {
  private AdminJson() {}

  public static final ObjectMapper MAPPER = create();

  private static ObjectMapper create() {
    SimpleModule m = new SimpleModule("weft");
    m.addSerializer(PeerId.class, new StdSerializer<>(PeerId.class) {
      private static final long serialVersionUID = 1L;

      @Override
      public void serialize(PeerId v, JsonGenerator g, SerializerProvider p) throws IOException {
        g.writeString(v.toBase58());
      }
    });
    return new ObjectMapper().registerModule(m);
  }
}
