package dev.weft.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** HTTP client of the node admin API for the CLI commands. */
final class ApiClient {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** A non-2xx answer; {@link #exitCode()} maps it to the CLI's exit codes. */
  static final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final int status;

    ApiError(int status, String message) {
      super(message);
      this.status = status;
    }

    /** 2 for bad input (400, 404, 405, 413), 1 otherwise. */
    int exitCode() {
      return status == 400 || status == 404 || status == 405 || status == 413 ? 2 : 1;
    }
  }

  private final InetSocketAddress addr;
  private final Path tokenFile;
  private final boolean tokenFileGiven;
  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  ApiClient(InetSocketAddress addr, Path tokenFile, boolean tokenFileGiven) {
    this.addr = addr;
    this.tokenFile = tokenFile;
    this.tokenFileGiven = tokenFileGiven;
  }

  private URI uri(String path) {
    String host = addr.getAddress().getHostAddress();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return URI.create("http://" + host + ":" + addr.getPort() + path);
  }

  JsonNode get(String path) {
    return send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30)).GET().build());
  }

  JsonNode post(String path, JsonNode body) {
    return send(authorized(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(body.toString()))).build());
  }

  /** Streams JSON lines of a long-running call to {@code sink} until the server ends it. */
  void stream(String path, Consumer<String> sink) {
    HttpRequest req = authorized(HttpRequest.newBuilder(uri(path)).GET()).build();
    try {
      HttpResponse<InputStream> r = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
      if (r.statusCode() / 100 != 2) {
        String body = new String(r.body().readAllBytes(), StandardCharsets.UTF_8);
        throw error(r.statusCode(), body);
      }
      try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
        String line;
        while ((line = in.readLine()) != null) {
          sink.accept(line);
        }
      }
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private HttpRequest.Builder authorized(HttpRequest.Builder b) {
    String token;
    try {
      token = Files.readString(tokenFile, StandardCharsets.US_ASCII).trim();
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException((tokenFileGiven ? "--token-file " : "token file ") + tokenFile
          + " does not exist (the node writes admin.token into its state directory)");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read token file " + tokenFile + ": " + e.getMessage());
    }
    return b.header("Authorization", "Bearer " + token);
  }

  private JsonNode send(HttpRequest req) {
    try {
      HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() / 100 != 2) {
        throw error(r.statusCode(), r.body());
      }
      return JSON.readTree(r.body());
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted");
    }
  }

  private static ApiError error(int status, String body) {
    String msg = body;
    try {
      JsonNode n = JSON.readTree(body);
      if (n != null && n.hasNonNull("error")) {
        msg = n.get("error").asText();
      }
    } catch (IOException ignored) {
      // not JSON: show it as is
    }
    return new ApiError(status, "node answered " + status + ": " + msg.trim());
  }

  private IllegalStateException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "connection refused" : e.toString();
    return new IllegalStateException("cannot reach the node's admin API at " + addr.getAddress().getHostAddress()
        + ":" + addr.getPort() + " (" + why + ")");
  }
}
