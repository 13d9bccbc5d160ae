package io.vigil.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.rest.client.exceptions.FhirClientConnectionException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class RetryingCallsTest {
  private final List<Duration> waits = new ArrayList<>();
  private final RetryingCalls calls =
      new RetryingCalls(4, Duration.ofMillis(100), Duration.ofMillis(250), waits::add);

  @Test
  void retriesTooManyRequestsAndServerErrorsWithDoublingCappedBackoff() {
    AtomicInteger attempts = new AtomicInteger();
    String result = calls.call("test request", () -> {
      switch (attempts.incrementAndGet()) {
        case 1:
          throw new UnclassifiedServerFailureException(429, "slow down");
        case 2:
          throw new UnclassifiedServerFailureException(503, "unavailable");
        case 3:
          throw new FhirClientConnectionException("connection reset");
        default:
          return "done";
      }
    });
    assertThat(result).isEqualTo("done");
    assertThat(waits).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200), Duration.ofMillis(250));
  }

  @Test
  void honoursRetryAfterUpToTheMaximum() {
    AtomicInteger attempts = new AtomicInteger();
    calls.call("test request", () -> {
      if (attempts.incrementAndGet() == 1) {
        UnclassifiedServerFailureException tooMany = new UnclassifiedServerFailureException(429, "slow down");
        tooMany.addResponseHeader("Retry-After", "120");
        throw tooMany;
      }
      return "done";
    });
    assertThat(waits).containsExactly(Duration.ofMillis(250));
  }

  @Test
  void givesUpAfterTheLastAttemptNamingTheRequestAndStatus() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> calls.call("Encounter search page 3", () -> {
      attempts.incrementAndGet();
      throw new UnclassifiedServerFailureException(500, "boom");
    })).isInstanceOf(RetryingCalls.FhirRequestException.class)
        .hasMessage("Encounter search page 3 failed: HTTP 500 after 4 attempt(s)");
    assertThat(attempts).hasValue(4);
  }

  @Test
  void clientErrorsAreNotRetried() {
    AtomicInteger attempts = new AtomicInteger();
    assertThatThrownBy(() -> calls.call("bad search", () -> {
      attempts.incrementAndGet();
      throw new InvalidRequestException("unknown parameter");
    })).hasMessageContaining("HTTP 400 after 1 attempt(s)");
    assertThat(attempts).hasValue(1);
    assertThat(waits).isEmpty();
  }
}
