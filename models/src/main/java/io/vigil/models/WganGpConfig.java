package io.vigil.models;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.Serializable;
import java.util.Objects;

/**
 * Hyper-parameters of the WGAN-GP and how to run it. {@link #seed()} is the notebook exactly; {@link #recommended()}
 * fixes its known defects behind named options. Immutable; every setter of the {@link Builder} validates.
 */
public final class WganGpConfig implements Serializable {
    private static final long serialVersionUID = 1L;

    private final int latentDim;
    private final int attentionDim;
    private final int attentionHeads;
    private final int criticHidden;
    private final int minibatchFeatures;
    private final int minibatchKernel;
    private final MinibatchInit minibatchInit;
    private final CriticScoring scoring;
    private final double gradientPenaltyWeight;
    private final int criticSteps;
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final int batchSize;
    private final int epochs;
    private final long seed;
    private final int referenceRows;
    private final Engine engine;
    private final DeviceChoice device;

    private WganGpConfig(Builder b) {
        this.latentDim = b.latentDim;
        this.attentionDim = b.attentionDim;
        this.attentionHeads = b.attentionHeads;
        this.criticHidden = b.criticHidden;
        this.minibatchFeatures = b.minibatchFeatures;
        this.minibatchKernel = b.minibatchKernel;
        this.minibatchInit = b.minibatchInit;
        this.scoring = b.scoring;
        this.gradientPenaltyWeight = b.gradientPenaltyWeight;
        this.criticSteps = b.criticSteps;
        this.learningRate = b.learningRate;
        this.beta1 = b.beta1;
        this.beta2 = b.beta2;
        this.batchSize = b.batchSize;
        this.epochs = b.epochs;
        this.seed = b.seed;
        this.referenceRows = b.referenceRows;
        this.engine = b.engine;
        this.device = b.device;
    }

    /** The notebook exactly (T ~ N(0, 1) included), with the reference set this project adds for scoring. */
    public static WganGpConfig seed() {
        return builder().build();
    }

    /**
     * The notebook with its saturated minibatch discrimination fixed ({@link MinibatchInit#SCALED}) and records
     * scored by their standardised distance in the critic's first hidden layer
     * ({@link CriticScoring#FIRST_LAYER_STANDARDISED}), which ranked anomalies far more steadily than the critic's raw
     * output on the ADBench medical sets, and better than the same distance in the second layer.
     */
    public static WganGpConfig recommended() {
        return builder().minibatchInit(MinibatchInit.SCALED).scoring(CriticScoring.FIRST_LAYER_STANDARDISED).build();
    }

    /** A builder holding the {@link #seed()} values. */
    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        return new Builder()
                .latentDim(latentDim)
                .attentionDimAndHeads(attentionDim, attentionHeads)
                .criticHidden(criticHidden)
                .minibatchFeatures(minibatchFeatures)
                .minibatchKernel(minibatchKernel)
                .minibatchInit(minibatchInit)
                .scoring(scoring)
                .gradientPenaltyWeight(gradientPenaltyWeight)
                .criticSteps(criticSteps)
                .learningRate(learningRate)
                .beta1(beta1)
                .beta2(beta2)
                .batchSize(batchSize)
                .epochs(epochs)
                .seed(seed)
                .referenceRows(referenceRows)
                .engine(engine)
                .device(device);
    }

    public int latentDim() {
        return latentDim;
    }

    public int attentionDim() {
        return attentionDim;
    }

    public int attentionHeads() {
        return attentionHeads;
    }

    public int criticHidden() {
        return criticHidden;
    }

    public int minibatchFeatures() {
        return minibatchFeatures;
    }

    public int minibatchKernel() {
        return minibatchKernel;
    }

    public MinibatchInit minibatchInit() {
        return minibatchInit;
    }

    /** What the scorer reads from the critic; see {@link CriticScoring}. */
    public CriticScoring scoring() {
        return scoring;
    }

    public double gradientPenaltyWeight() {
        return gradientPenaltyWeight;
    }

    public int criticSteps() {
        return criticSteps;
    }

    public double learningRate() {
        return learningRate;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public int batchSize() {
        return batchSize;
    }

    public int epochs() {
        return epochs;
    }

    /**
     * The random seed. Named apart from the contract's {@code seed()} accessor because Java cannot have both the
     * static {@link #seed()} preset and an instance {@code seed()}; the builder's setter is still {@code seed(long)}.
     */
    public long randomSeed() {
        return seed;
    }

    public int referenceRows() {
        return referenceRows;
    }

    public Engine engine() {
        return engine;
    }

    public DeviceChoice device() {
        return device;
    }

    public String toJson() {
        JsonObject o = new JsonObject();
        o.addProperty("latentDim", latentDim);
        o.addProperty("attentionDim", attentionDim);
        o.addProperty("attentionHeads", attentionHeads);
        o.addProperty("criticHidden", criticHidden);
        o.addProperty("minibatchFeatures", minibatchFeatures);
        o.addProperty("minibatchKernel", minibatchKernel);
        o.addProperty("minibatchInit", minibatchInit.name());
        o.addProperty("scoring", scoring.name());
        o.addProperty("gradientPenaltyWeight", gradientPenaltyWeight);
        o.addProperty("criticSteps", criticSteps);
        o.addProperty("learningRate", learningRate);
        o.addProperty("beta1", beta1);
        o.addProperty("beta2", beta2);
        o.addProperty("batchSize", batchSize);
        o.addProperty("epochs", epochs);
        o.addProperty("seed", seed);
        o.addProperty("referenceRows", referenceRows);
        o.addProperty("engine", engine.name());
        o.addProperty("device", device.name());
        return o.toString();
    }

    /**
     * Parses {@link #toJson()}; every key is required and validated like the builder's setters, except
     * {@code scoring}, which bundles written before it existed lack: they were scored with {@link CriticScoring#CRITIC}.
     */
    public static WganGpConfig fromJson(String json) {
        JsonObject o;
        try {
            o = JsonParser.parseString(json).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("configuration is not a JSON object: " + e.getMessage(), e);
        }
        try {
            return builder()
                    .latentDim(required(o, "latentDim").getAsInt())
                    .attentionDimAndHeads(
                            required(o, "attentionDim").getAsInt(), required(o, "attentionHeads").getAsInt())
                    .criticHidden(required(o, "criticHidden").getAsInt())
                    .minibatchFeatures(required(o, "minibatchFeatures").getAsInt())
                    .minibatchKernel(required(o, "minibatchKernel").getAsInt())
                    .minibatchInit(MinibatchInit.valueOf(required(o, "minibatchInit").getAsString()))
                    .scoring(o.has("scoring")
                            ? CriticScoring.valueOf(required(o, "scoring").getAsString())
                            : CriticScoring.CRITIC)
                    .gradientPenaltyWeight(required(o, "gradientPenaltyWeight").getAsDouble())
                    .criticSteps(required(o, "criticSteps").getAsInt())
                    .learningRate(required(o, "learningRate").getAsDouble())
                    .beta1(required(o, "beta1").getAsDouble())
                    .beta2(required(o, "beta2").getAsDouble())
                    .batchSize(required(o, "batchSize").getAsInt())
                    .epochs(required(o, "epochs").getAsInt())
                    .seed(required(o, "seed").getAsLong())
                    .referenceRows(required(o, "referenceRows").getAsInt())
                    .engine(Engine.valueOf(required(o, "engine").getAsString()))
                    .device(DeviceChoice.valueOf(required(o, "device").getAsString()))
                    .build();
        } catch (IllegalStateException | UnsupportedOperationException | NumberFormatException e) {
            throw new IllegalArgumentException("configuration has a value of the wrong type: " + e.getMessage(), e);
        }
    }

    private static JsonElement required(JsonObject o, String key) {
        JsonElement e = o.get(key);
        if (e == null || e.isJsonNull()) {
            throw new IllegalArgumentException("configuration lacks \"" + key + "\"");
        }
        return e;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof WganGpConfig c && toJson().equals(c.toJson());
    }

    @Override
    public int hashCode() {
        return Objects.hash(toJson());
    }

    @Override
    public String toString() {
        return "WganGpConfig" + toJson();
    }

    /** Builds a {@link WganGpConfig}; starts from the {@link WganGpConfig#seed()} values. */
    public static final class Builder {
        private int latentDim = 16;
        private int attentionDim = 64;
        private int attentionHeads = 2;
        private int criticHidden = 256;
        private int minibatchFeatures = 16;
        private int minibatchKernel = 8;
        private MinibatchInit minibatchInit = MinibatchInit.SEED_NORMAL;
        private CriticScoring scoring = CriticScoring.CRITIC;
        private double gradientPenaltyWeight = 10.0;
        private int criticSteps = 2;
        private double learningRate = 1e-4;
        private double beta1 = 0.0;
        private double beta2 = 0.9;
        private int batchSize = 32;
        private int epochs = 100;
        private long seed = 42;
        private int referenceRows = 256;
        private Engine engine = Engine.PYTORCH;
        private DeviceChoice device = DeviceChoice.AUTO;

        private Builder() {}

        public Builder latentDim(int value) {
            latentDim = positive("latentDim", value);
            return this;
        }

        /** Embedding width of the generator's self-attention; must be a multiple of {@link #attentionHeads}. */
        public Builder attentionDim(int value) {
            requireDivisible(positive("attentionDim", value), attentionHeads);
            attentionDim = value;
            return this;
        }

        public Builder attentionHeads(int value) {
            requireDivisible(attentionDim, positive("attentionHeads", value));
            attentionHeads = value;
            return this;
        }

        /** Sets both at once, for moves between two valid pairs that pass through an invalid one. */
        public Builder attentionDimAndHeads(int dim, int heads) {
            positive("attentionDim", dim);
            positive("attentionHeads", heads);
            requireDivisible(dim, heads);
            attentionDim = dim;
            attentionHeads = heads;
            return this;
        }

        /** Width of the critic's first layer; the second has half of it, so it must be even. */
        public Builder criticHidden(int value) {
            if (value < 2 || value % 2 != 0) {
                throw new IllegalArgumentException("criticHidden must be an even number >= 2, got " + value);
            }
            criticHidden = value;
            return this;
        }

        public Builder minibatchFeatures(int value) {
            minibatchFeatures = positive("minibatchFeatures", value);
            return this;
        }

        public Builder minibatchKernel(int value) {
            minibatchKernel = positive("minibatchKernel", value);
            return this;
        }

        public Builder minibatchInit(MinibatchInit value) {
            minibatchInit = Objects.requireNonNull(value, "minibatchInit");
            return this;
        }

        public Builder scoring(CriticScoring value) {
            scoring = Objects.requireNonNull(value, "scoring");
            return this;
        }

        public Builder gradientPenaltyWeight(double value) {
            if (!(value >= 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("gradientPenaltyWeight must be finite and >= 0, got " + value);
            }
            gradientPenaltyWeight = value;
            return this;
        }

        public Builder criticSteps(int value) {
            criticSteps = positive("criticSteps", value);
            return this;
        }

        public Builder learningRate(double value) {
            if (!(value > 0) || Double.isInfinite(value)) {
                throw new IllegalArgumentException("learningRate must be finite and > 0, got " + value);
            }
            learningRate = value;
            return this;
        }

        public Builder beta1(double value) {
            beta1 = beta("beta1", value);
            return this;
        }

        public Builder beta2(double value) {
            beta2 = beta("beta2", value);
            return this;
        }

        /** At least 2: the generator's BatchNorm needs two rows for a variance, as in torch. */
        public Builder batchSize(int value) {
            if (value < 2) {
                throw new IllegalArgumentException("batchSize must be >= 2, got " + value);
            }
            batchSize = value;
            return this;
        }

        public Builder epochs(int value) {
            epochs = positive("epochs", value);
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        /** Training rows kept in the bundle as the fixed comparison set of minibatch discrimination at scoring. */
        public Builder referenceRows(int value) {
            referenceRows = positive("referenceRows", value);
            return this;
        }

        public Builder engine(Engine value) {
            engine = Objects.requireNonNull(value, "engine");
            return this;
        }

        public Builder device(DeviceChoice value) {
            device = Objects.requireNonNull(value, "device");
            return this;
        }

        public WganGpConfig build() {
            return new WganGpConfig(this);
        }

        private static int positive(String name, int value) {
            if (value <= 0) {
                throw new IllegalArgumentException(name + " must be > 0, got " + value);
            }
            return value;
        }

        private static double beta(String name, double value) {
            if (!(value >= 0 && value < 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1), got " + value);
            }
            return value;
        }

        private static void requireDivisible(int dim, int heads) {
            if (dim % heads != 0) {
                throw new IllegalArgumentException(
                        "attentionDim " + dim + " must be a multiple of attentionHeads " + heads);
            }
        }
    }
}
