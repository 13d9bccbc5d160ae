package io.vigil.models;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.initializer.Initializer;
import java.util.random.RandomGenerator;

/**
 * Initial values drawn from one seeded Java generator rather than the engine's: the same seed gives the same
 * networks on PyTorch and MXNet, on CPU and GPU. The distributions are torch's defaults for each layer.
 */
final class SeededInitializer implements Initializer {
    private enum Kind {
        UNIFORM,
        NORMAL,
        UNIT_NORMAL
    }

    private final RandomGenerator random;
    private final Kind kind;
    private final double scale;

    private SeededInitializer(RandomGenerator random, Kind kind, double scale) {
        this.random = random;
        this.kind = kind;
        this.scale = scale;
    }

    /** U(−bound, bound). torch's Linear: weight kaiming-uniform(a=√5) and bias both give bound 1/√fan_in. */
    static Initializer uniform(RandomGenerator random, double bound) {
        return new SeededInitializer(random, Kind.UNIFORM, bound);
    }

    /** Linear layer weight or bias as torch initialises it. */
    static Initializer linearDefault(RandomGenerator random, long fanIn) {
        return uniform(random, 1.0 / Math.sqrt(fanIn));
    }

    /** Xavier-uniform for a (fanOut, fanIn) matrix, as torch's MultiheadAttention in-projection. */
    static Initializer xavierUniform(RandomGenerator random, long fanIn, long fanOut) {
        return uniform(random, Math.sqrt(6.0 / (fanIn + fanOut)));
    }

    /** N(0, std²). */
    static Initializer normal(RandomGenerator random, double std) {
        return new SeededInitializer(random, Kind.NORMAL, std);
    }

    /** A standard-normal vector scaled to unit length: the starting u and v of torch's spectral norm. */
    static Initializer unitNormal(RandomGenerator random) {
        return new SeededInitializer(random, Kind.UNIT_NORMAL, 1.0);
    }

    /**
     * A standard normal draw (Box–Muller) computed with {@link StrictMath}: the JDK's {@code nextGaussian} uses
     * {@code Math.log}/{@code Math.exp}, whose results may change by an ulp once the JIT compiles them, which would
     * break run-to-run reproducibility.
     */
    static double gaussian(RandomGenerator random) {
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return StrictMath.sqrt(-2.0 * StrictMath.log(u)) * StrictMath.cos(2.0 * StrictMath.PI * v);
    }

    @Override
    public NDArray initialize(NDManager manager, Shape shape, DataType dataType) {
        int n = Math.toIntExact(shape.size());
        double[] values = new double[n];
        double squares = 0;
        for (int i = 0; i < n; i++) {
            values[i] = kind == Kind.UNIFORM
                    ? (2 * random.nextDouble() - 1) * scale
                    : gaussian(random) * scale;
            squares += values[i] * values[i];
        }
        if (kind == Kind.UNIT_NORMAL) {
            double norm = Math.max(Math.sqrt(squares), 1e-12);
            for (int i = 0; i < n; i++) {
                values[i] /= norm;
            }
        }
        if (dataType == DataType.FLOAT64) {
            return manager.create(values, shape);
        }
        float[] singles = new float[n];
        for (int i = 0; i < n; i++) {
            singles[i] = (float) values[i];
        }
        return manager.create(singles, shape).toType(dataType, false);
    }
}
