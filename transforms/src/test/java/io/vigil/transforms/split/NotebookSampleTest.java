package io.vigil.transforms.split;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class NotebookSampleTest {
  /**
   * The seed notebook prints the first five rows of {@code df.sample(n=10000, random_state=42)} on the 101,766-row
   * diabetes file: their index labels are 35956, 60927, 79920, 50078, 44080. The next seven were printed by numpy
   * 1.24.2: {@code np.random.RandomState(42).permutation(101766)[:12]}.
   */
  @Test
  void reproducesTheNotebookSampleOfTheDiabetesFile() {
    int[] positions = NotebookSample.of(10_000, 42).positions(101_766);

    assertThat(positions).hasSize(10_000);
    assertThat(Arrays.copyOf(positions, 12))
        .containsExactly(35956, 60927, 79920, 50078, 44080, 4727, 29944, 84575, 59479, 56742, 42153, 57809);
    assertThat(Arrays.stream(positions).distinct().count()).isEqualTo(10_000);
    assertThat(NotebookSample.of(10_000, 42).selectedPositions(101_766).cardinality()).isEqualTo(10_000);
  }

  /** Oracles from numpy 1.24.2: {@code RandomState(42).permutation(20)}, {@code RandomState(7).permutation(1000)[:8]}. */
  @Test
  void matchesNumpyPermutationsForOtherSizesAndSeeds() {
    assertThat(NotebookSample.of(20, 42).positions(20))
        .containsExactly(0, 17, 15, 1, 8, 5, 11, 3, 18, 16, 13, 2, 9, 19, 4, 12, 7, 10, 14, 6);
    assertThat(NotebookSample.of(8, 7).positions(1000)).containsExactly(778, 334, 271, 802, 216, 408, 812, 94);
  }

  @Test
  void rejectsWhatPandasRejects() {
    assertThatThrownBy(() -> NotebookSample.of(11, 42).positions(10))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cannot sample 11 rows");
    assertThatThrownBy(() -> NotebookSample.of(1, -1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NotebookSample.of(1, 1L << 32)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> NotebookSample.of(-1, 42)).isInstanceOf(IllegalArgumentException.class);
  }
}
