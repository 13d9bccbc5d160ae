package io.vigil.fhir;

import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.client.interceptor.BearerTokenAuthInterceptor;
import com.google.auto.value.AutoValue;
import java.io.Serializable;
import java.net.URI;
import java.time.Duration;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * Where a FHIR R4 server is and how to talk to it: base URL, optional bearer token, and the retry policy for 429 and
 * 5xx answers. Shared by {@link ReadFhirServer} and {@link WriteRiskAssessments}.
 *
 * <p>The token is part of the pipeline graph (it travels to the workers); {@link #toString()} never shows it.
 */
@AutoValue
public abstract class FhirServer implements Serializable {
  private static final long serialVersionUID = 1L;

  public abstract String baseUrl();

  abstract @Nullable String bearerToken();

  /** How many times one request is tried before its failure is reported (at least 1). */
  public abstract int maxAttempts();

  /** The wait before the second attempt; it doubles with each further attempt, up to {@link #maxBackoff()}. */
  public abstract Duration initialBackoff();

  public abstract Duration maxBackoff();

  abstract Builder toBuilder();

  /** A server at an absolute http(s) base URL, e.g. {@code https://fhir.example.org/r4}; 5 attempts, 1 s back-off. */
  public static FhirServer at(String baseUrl) {
    if (baseUrl == null || baseUrl.isBlank()) {
      throw new IllegalArgumentException("the FHIR server base URL must be given");
    }
    URI uri = URI.create(baseUrl);
    if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
      throw new IllegalArgumentException("the FHIR server base URL must be http or https: " + withoutQuery(baseUrl));
    }
    return new AutoValue_FhirServer.Builder()
        .setBaseUrl(baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl)
        .setMaxAttempts(5)
        .setInitialBackoff(Duration.ofSeconds(1))
        .setMaxBackoff(Duration.ofSeconds(60))
        .build();
  }

  /** Sends {@code Authorization: Bearer <token>} with every request. */
  public FhirServer withBearerToken(String token) {
    if (token == null || token.isBlank()) {
      throw new IllegalArgumentException("the bearer token must not be blank");
    }
    return toBuilder().setBearerToken(token).build();
  }

  public FhirServer withMaxAttempts(int attempts) {
    if (attempts < 1) {
      throw new IllegalArgumentException("max attempts must be at least 1, got " + attempts);
    }
    return toBuilder().setMaxAttempts(attempts).build();
  }

  public FhirServer withBackoff(Duration initial, Duration max) {
    if (initial == null || initial.isNegative() || max == null || max.compareTo(initial) < 0) {
      throw new IllegalArgumentException("back-off needs 0 <= initial <= max, got " + initial + " and " + max);
    }
    return toBuilder().setInitialBackoff(initial).setMaxBackoff(max).build();
  }

  /** A new HAPI client for this server; clients share the JVM's context and its connection pool. */
  IGenericClient newClient() {
    IGenericClient client = FhirContexts.r4().newRestfulGenericClient(baseUrl());
    if (bearerToken() != null) {
      client.registerInterceptor(new BearerTokenAuthInterceptor(bearerToken()));
    }
    return client;
  }

  RetryingCalls retrying() {
    return new RetryingCalls(maxAttempts(), initialBackoff(), maxBackoff(), RetryingCalls.SLEEP);
  }

  /** A URL fit for logs and dead letters: the query (search parameters, ids) cut off. */
  static String withoutQuery(String url) {
    int query = url.indexOf('?');
    return query >= 0 ? url.substring(0, query) : url;
  }

  @Override
  public String toString() {
    return "FhirServer{" + baseUrl() + (bearerToken() != null ? ", bearer token set" : "") + ", maxAttempts="
        + maxAttempts() + ", backoff=" + initialBackoff() + ".." + maxBackoff() + "}";
  }

  @AutoValue.Builder
  abstract static class Builder {
    abstract Builder setBaseUrl(String baseUrl);

    abstract Builder setBearerToken(String token);

    abstract Builder setMaxAttempts(int attempts);

    abstract Builder setInitialBackoff(Duration backoff);

    abstract Builder setMaxBackoff(Duration backoff);

    abstract FhirServer build();
  }
}
