package io.vigil.fhir;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one FHIR request with retries: on 429 (too many requests), 5xx and lost connections it waits (the server's
 * {@code Retry-After} if it sent one, else exponential back-off) and tries again, up to the attempt limit. Other
 * answers (4xx) fail at once: repeating them cannot help. Logs say what was requested, never ids or contents.
 */
final class RetryingCalls {
  private static final Logger LOG = LoggerFactory.getLogger(RetryingCalls.class);

  /** How the caller waits; tests pass a recorder instead of sleeping. */
  interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  static final Sleeper SLEEP = duration -> Thread.sleep(duration.toMillis());

  private final int maxAttempts;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Sleeper sleeper;

  RetryingCalls(int maxAttempts, Duration initialBackoff, Duration maxBackoff, Sleeper sleeper) {
    this.maxAttempts = maxAttempts;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.sleeper = sleeper;
  }

  /**
   * The call's result.
   *
   * @param what the request in words without identifiers, e.g. "Encounter search page 3", for logs and errors
   * @throws FhirRequestException when the call failed for good (a non-retryable answer or the attempts ran out)
   */
  <T> T call(String what, Supplier<T> request) {
    for (int attempt = 1; ; attempt++) {
      try {
        return request.get();
      } catch (FhirClientConnectionException e) {
        if (attempt >= maxAttempts) {
          throw new FhirRequestException(what + " failed: connection error after " + attempt + " attempt(s)", e);
        }
        waitBeforeRetry(what, "connection error", attempt, null);
      } catch (BaseServerResponseException e) {
        // A connection failure is also a BaseServerResponseException, so it is caught first above.
        int status = e.getStatusCode();
        boolean retryable = status == 429 || status >= 500;
        if (!retryable || attempt >= maxAttempts) {
          throw new FhirRequestException(what + " failed: HTTP " + status + " after " + attempt + " attempt(s)", e);
        }
        waitBeforeRetry(what, "HTTP " + status, attempt, retryAfter(e));
      }
    }
  }

  private void waitBeforeRetry(String what, String cause, int attempt, Duration serverWait) {
    Duration wait = serverWait != null ? serverWait : backoff(attempt);
    LOG.warn("{}: {} on attempt {} of {}; retrying in {} ms", what, cause, attempt, maxAttempts, wait.toMillis());
    try {
      sleeper.sleep(wait);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FhirRequestException(what + " interrupted while waiting to retry", e);
    }
  }

  /** initial × 2^(attempt-1), capped. */
  Duration backoff(int attempt) {
    long factor = 1L << Math.min(attempt - 1, 30);
    Duration wait = initialBackoff.multipliedBy(factor);
    return wait.compareTo(maxBackoff) > 0 || wait.isNegative() ? maxBackoff : wait;
  }

  /** The server's Retry-After in seconds, capped at the maximum back-off; null when absent or not a number. */
  private Duration retryAfter(BaseServerResponseException e) {
    Map<String, List<String>> headers = e.getResponseHeaders();
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if ("retry-after".equalsIgnoreCase(header.getKey()) && !header.getValue().isEmpty()) {
        try {
          Duration wait = Duration.ofSeconds(Long.parseLong(header.getValue().get(0).trim()));
          return wait.compareTo(maxBackoff) > 0 ? maxBackoff : wait;
        } catch (NumberFormatException notSeconds) {
          return null;
        }
      }
    }
    return null;
  }

  /** A FHIR request that failed for good; the message names the request, never identifiers or contents. */
  static final class FhirRequestException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    FhirRequestException(String message, Throwable cause) {
      super(message, cause);
    }
  }
}
