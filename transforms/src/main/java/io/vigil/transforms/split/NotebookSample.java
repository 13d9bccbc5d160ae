package io.vigil.transforms.split;

import java.io.Serializable;
import java.util.Arrays;
import java.util.BitSet;

/**
 * The rows pandas keeps in {@code df.sample(n=sampleSize, random_state=seed)} (pandas 1.x/2.x, numpy's legacy
 * {@code RandomState}), so that Vigil can fit and evaluate on exactly the seed notebook's 10,000-row sample.
 *
 * <p>pandas calls {@code RandomState(seed).choice(population, sampleSize, replace=False)}, which numpy implements as
 * {@code permutation(population)[:sampleSize]}: a Fisher–Yates shuffle of {@code 0..population-1} from the last
 * position down, each swap partner drawn in {@code [0, i]} by masked rejection from MT19937's 32-bit outputs, the
 * generator seeded with the legacy {@code init_genrand(seed)}. This class reproduces that sequence bit for bit
 * (checked against numpy 1.24.2 and against the row labels the notebook prints).
 */
public final class NotebookSample implements Serializable {
  private static final long serialVersionUID = 1L;

  private final int sampleSize;
  private final long seed;

  private NotebookSample(int sampleSize, long seed) {
    this.sampleSize = sampleSize;
    this.seed = seed;
  }

  /** The sample of {@code sampleSize} rows drawn with {@code random_state=seed}. */
  public static NotebookSample of(int sampleSize, long seed) {
    if (sampleSize < 0) {
      throw new IllegalArgumentException("sample size must not be negative, got " + sampleSize);
    }
    if (seed < 0 || seed > 0xFFFF_FFFFL) {
      throw new IllegalArgumentException("numpy seeds are between 0 and 2^32 - 1, got " + seed);
    }
    return new NotebookSample(sampleSize, seed);
  }

  public int sampleSize() {
    return sampleSize;
  }

  public long seed() {
    return seed;
  }

  /** The 0-based positions of the sampled rows among {@code population} rows, in the order pandas returns them. */
  public int[] positions(int population) {
    if (sampleSize > population) {
      throw new IllegalArgumentException("cannot sample " + sampleSize + " rows without replacement from "
          + population + " rows");
    }
    int[] permutation = new int[population];
    for (int i = 0; i < population; i++) {
      permutation[i] = i;
    }
    MersenneTwister random = new MersenneTwister(seed);
    for (int i = population - 1; i >= 1; i--) {
      int j = random.interval(i);
      int swapped = permutation[i];
      permutation[i] = permutation[j];
      permutation[j] = swapped;
    }
    return Arrays.copyOf(permutation, sampleSize);
  }

  /** The positions of {@link #positions} as a set. */
  public BitSet selectedPositions(int population) {
    BitSet selected = new BitSet(population);
    for (int position : positions(population)) {
      selected.set(position);
    }
    return selected;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof NotebookSample other && other.sampleSize == sampleSize && other.seed == seed;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(seed) * 31 + sampleSize;
  }

  @Override
  public String toString() {
    return "NotebookSample{n=" + sampleSize + ", random_state=" + seed + "}";
  }

  /** MT19937 with numpy's legacy seeding and bounded draws ({@code random_interval}). */
  static final class MersenneTwister {
    private static final int N = 624;
    private static final int M = 397;
    private final int[] state = new int[N];
    private int index;

    MersenneTwister(long seed) {
      state[0] = (int) seed;
      for (int i = 1; i < N; i++) {
        state[i] = 1812433253 * (state[i - 1] ^ (state[i - 1] >>> 30)) + i;
      }
      index = N;
    }

    /** The next 32-bit output, as an unsigned value. */
    long nextUnsigned32() {
      if (index >= N) {
        twist();
      }
      int y = state[index++];
      y ^= y >>> 11;
      y ^= (y << 7) & 0x9d2c5680;
      y ^= (y << 15) & 0xefc60000;
      y ^= y >>> 18;
      return y & 0xFFFF_FFFFL;
    }

    /** A value in {@code [0, max]}: the low bits under the smallest all-ones mask covering max, redrawn if above. */
    int interval(int max) {
      if (max == 0) {
        return 0;
      }
      long mask = max;
      mask |= mask >>> 1;
      mask |= mask >>> 2;
      mask |= mask >>> 4;
      mask |= mask >>> 8;
      mask |= mask >>> 16;
      long value;
      do {
        value = nextUnsigned32() & mask;
      } while (value > max);
      return (int) value;
    }

    private void twist() {
      for (int i = 0; i < N; i++) {
        int y = (state[i] & 0x80000000) | (state[(i + 1) % N] & 0x7fffffff);
        int next = state[(i + M) % N] ^ (y >>> 1);
        if ((y & 1) != 0) {
          next ^= 0x9908b0df;
        }
        state[i] = next;
      }
      index = 0;
    }
  }
}
