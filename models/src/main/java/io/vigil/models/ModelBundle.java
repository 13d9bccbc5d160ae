package io.vigil.models;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * A trained model: the critic's and generator's parameters, the configuration, the loss curves, the reference rows
 * that scoring compares against, and named attachments. Immutable. On disk a directory:
 *
 * <pre>
 *   format            the bundle format version ("1")
 *   config.json       {@link WganGpConfig#toJson()}
 *   metrics.json      loss curves per epoch
 *   critic.params     DJL Block parameters of the critic
 *   generator.params  DJL Block parameters of the generator
 *   reference.bin     the reference rows: int rows, int cols, then rows·cols floats, little-endian
 *   attachments/NAME  extra files (preprocessing artifact, validation scores, threshold, ...)
 *   manifest.json     format, input width and the sha256 of every file above
 * </pre>
 *
 * <p>{@link #fingerprint()} is the sha256 of manifest.json, so it changes when any file does: it is the model version.
 */
public final class ModelBundle {
    /** The bundle layout this code writes and reads. */
    public static final int FORMAT_VERSION = 1;

    private static final String FORMAT_FILE = "format";
    private static final String MANIFEST_FILE = "manifest.json";
    private static final String CONFIG_FILE = "config.json";
    private static final String METRICS_FILE = "metrics.json";
    private static final String CRITIC_FILE = "critic.params";
    private static final String GENERATOR_FILE = "generator.params";
    private static final String REFERENCE_FILE = "reference.bin";
    private static final String ATTACHMENT_DIR = "attachments/";
    private static final Pattern ATTACHMENT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final WganGpConfig config;
    private final int inputWidth;
    private final TrainingMetrics metrics;
    private final byte[] criticParameters;
    private final byte[] generatorParameters;
    private final FeatureMatrix reference;
    private final Map<String, byte[]> attachments;
    /** Computed on first use: hashing the parameters takes a few milliseconds and the bundle never changes. */
    private volatile String fingerprint;

    private ModelBundle(WganGpConfig config, int inputWidth, TrainingMetrics metrics, byte[] criticParameters,
            byte[] generatorParameters, FeatureMatrix reference, Map<String, byte[]> attachments) {
        if (reference.cols() != inputWidth) {
            throw new ModelBundleException(
                    "reference rows have " + reference.cols() + " columns, the model " + inputWidth);
        }
        this.config = config;
        this.inputWidth = inputWidth;
        this.metrics = metrics;
        this.criticParameters = criticParameters;
        this.generatorParameters = generatorParameters;
        this.reference = reference;
        this.attachments = attachments;
    }

    static ModelBundle create(WganGpConfig config, int inputWidth, TrainingMetrics metrics, byte[] criticParameters,
            byte[] generatorParameters, FeatureMatrix reference) {
        return new ModelBundle(config, inputWidth, metrics, criticParameters.clone(), generatorParameters.clone(),
                reference, Map.of());
    }

    public WganGpConfig config() {
        return config;
    }

    /** The number of features a row must have. */
    public int inputWidth() {
        return inputWidth;
    }

    public TrainingMetrics metrics() {
        return metrics;
    }

    /** The sha256 (hex) of the checksum manifest: identifies this exact model and its attachments. */
    public String fingerprint() {
        String value = fingerprint;
        if (value == null) {
            value = sha256(manifest());
            fingerprint = value;
        }
        return value;
    }

    public Optional<byte[]> attachment(String name) {
        byte[] content = attachments.get(name);
        return content == null ? Optional.empty() : Optional.of(content.clone());
    }

    /** A copy of this bundle with the attachment added or replaced. */
    public ModelBundle withAttachment(String name, byte[] content) {
        if (name == null || !ATTACHMENT_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("attachment name must match " + ATTACHMENT_NAME + ", got " + name);
        }
        Map<String, byte[]> copy = new TreeMap<>(attachments);
        copy.put(name, content.clone());
        return new ModelBundle(config, inputWidth, metrics, criticParameters, generatorParameters, reference,
                Map.copyOf(copy));
    }

    public Set<String> attachmentNames() {
        return Set.copyOf(attachments.keySet());
    }

    FeatureMatrix reference() {
        return reference;
    }

    byte[] criticParameters() {
        return criticParameters.clone();
    }

    /** Writes the bundle into {@code dir} (created if absent); files of the same names are replaced. */
    public void save(Path dir) {
        try {
            Files.createDirectories(dir.resolve(ATTACHMENT_DIR));
            for (Map.Entry<String, byte[]> file : files().entrySet()) {
                Files.write(dir.resolve(file.getKey()), file.getValue());
            }
            Files.write(dir.resolve(MANIFEST_FILE), manifest());
        } catch (IOException e) {
            throw new ModelBundleException("cannot write model bundle to " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Loads and verifies a bundle: format version, every file's checksum, and that the contents parse. */
    public static ModelBundle load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new ModelBundleException("model bundle " + dir + " is not a directory");
        }
        String format = new String(read(dir, FORMAT_FILE), StandardCharsets.UTF_8).trim();
        if (!format.equals(Integer.toString(FORMAT_VERSION))) {
            throw new ModelBundleException("model bundle " + dir + " has format version '" + format
                    + "'; this version of Vigil reads format " + FORMAT_VERSION + " (retrain or use a matching Vigil)");
        }
        JsonObject manifest = parseJson(dir, MANIFEST_FILE, read(dir, MANIFEST_FILE));
        Map<String, byte[]> contents = new LinkedHashMap<>();
        int inputWidth;
        try {
            if (manifest.get("format").getAsInt() != FORMAT_VERSION) {
                throw new ModelBundleException("model bundle " + dir + ": manifest.json names format "
                        + manifest.get("format") + ", the format file " + FORMAT_VERSION);
            }
            inputWidth = manifest.get("inputWidth").getAsInt();
            for (Map.Entry<String, JsonElement> file : manifest.getAsJsonObject("files").entrySet()) {
                byte[] content = read(dir, file.getKey());
                if (!sha256(content).equals(file.getValue().getAsString())) {
                    throw new ModelBundleException("model bundle " + dir + ": " + file.getKey()
                            + " is corrupt or truncated (its sha256 differs from manifest.json)");
                }
                contents.put(file.getKey(), content);
            }
        } catch (NullPointerException | IllegalStateException | ClassCastException | NumberFormatException e) {
            throw new ModelBundleException("model bundle " + dir + ": manifest.json is malformed: " + e, e);
        }
        for (String required : List.of(CONFIG_FILE, METRICS_FILE, CRITIC_FILE, GENERATOR_FILE, REFERENCE_FILE)) {
            if (!contents.containsKey(required)) {
                throw new ModelBundleException("model bundle " + dir + ": manifest.json does not list " + required);
            }
        }
        WganGpConfig config;
        try {
            config = WganGpConfig.fromJson(new String(contents.get(CONFIG_FILE), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ModelBundleException("model bundle " + dir + ": config.json is invalid: " + e.getMessage(), e);
        }
        TrainingMetrics metrics = parseMetrics(dir, contents.get(METRICS_FILE));
        FeatureMatrix reference = parseReference(dir, contents.get(REFERENCE_FILE));
        Map<String, byte[]> attachments = new TreeMap<>();
        for (Map.Entry<String, byte[]> file : contents.entrySet()) {
            if (file.getKey().startsWith(ATTACHMENT_DIR)) {
                attachments.put(file.getKey().substring(ATTACHMENT_DIR.length()), file.getValue());
            }
        }
        return new ModelBundle(config, inputWidth, metrics, contents.get(CRITIC_FILE), contents.get(GENERATOR_FILE),
                reference, Map.copyOf(attachments));
    }

    /** {@link #load(Path)}, failing unless the bundle takes rows of {@code expectedInputWidth} features. */
    public static ModelBundle load(Path dir, int expectedInputWidth) {
        ModelBundle bundle = load(dir);
        if (bundle.inputWidth() != expectedInputWidth) {
            throw new ModelBundleException("model bundle " + dir + " was trained on rows of " + bundle.inputWidth()
                    + " features, but the input has " + expectedInputWidth
                    + " (was the preprocessing changed after training?)");
        }
        return bundle;
    }

    /** The files other than format and manifest, by relative path, in a fixed order. */
    private Map<String, byte[]> files() {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put(FORMAT_FILE, (FORMAT_VERSION + "\n").getBytes(StandardCharsets.UTF_8));
        files.put(CONFIG_FILE, config.toJson().getBytes(StandardCharsets.UTF_8));
        files.put(METRICS_FILE, metricsJson().getBytes(StandardCharsets.UTF_8));
        files.put(CRITIC_FILE, criticParameters);
        files.put(GENERATOR_FILE, generatorParameters);
        files.put(REFERENCE_FILE, referenceBytes());
        for (Map.Entry<String, byte[]> attachment : new TreeMap<>(attachments).entrySet()) {
            files.put(ATTACHMENT_DIR + attachment.getKey(), attachment.getValue());
        }
        return files;
    }

    private byte[] manifest() {
        JsonObject manifest = new JsonObject();
        manifest.addProperty("format", FORMAT_VERSION);
        manifest.addProperty("inputWidth", inputWidth);
        JsonObject checksums = new JsonObject();
        for (Map.Entry<String, byte[]> file : files().entrySet()) {
            checksums.addProperty(file.getKey(), sha256(file.getValue()));
        }
        manifest.add("files", checksums);
        return manifest.toString().getBytes(StandardCharsets.UTF_8);
    }

    private String metricsJson() {
        JsonObject o = new JsonObject();
        o.add("criticLoss", array(metrics.criticLoss()));
        o.add("generatorLoss", array(metrics.generatorLoss()));
        o.add("gradientPenalty", array(metrics.gradientPenalty()));
        return o.toString();
    }

    private static JsonArray array(List<Double> values) {
        JsonArray a = new JsonArray();
        values.forEach(a::add);
        return a;
    }

    private static TrainingMetrics parseMetrics(Path dir, byte[] content) {
        JsonObject o = parseJson(dir, METRICS_FILE, content);
        try {
            return new TrainingMetrics(doubles(o, "criticLoss"), doubles(o, "generatorLoss"),
                    doubles(o, "gradientPenalty"));
        } catch (RuntimeException e) {
            throw new ModelBundleException("model bundle " + dir + ": metrics.json is malformed: " + e, e);
        }
    }

    private static List<Double> doubles(JsonObject o, String key) {
        List<Double> values = new ArrayList<>();
        for (JsonElement e : o.getAsJsonArray(key)) {
            values.add(e.getAsDouble());
        }
        return values;
    }

    private byte[] referenceBytes() {
        float[] values = reference.data();
        ByteBuffer buffer = ByteBuffer.allocate(8 + 4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buffer.putInt(reference.rows()).putInt(reference.cols());
        buffer.asFloatBuffer().put(values);
        return buffer.array();
    }

    private static FeatureMatrix parseReference(Path dir, byte[] content) {
        ByteBuffer buffer = ByteBuffer.wrap(content).order(ByteOrder.LITTLE_ENDIAN);
        if (content.length < 8) {
            throw new ModelBundleException("model bundle " + dir + ": reference.bin is truncated");
        }
        int rows = buffer.getInt();
        int cols = buffer.getInt();
        if (rows <= 0 || cols <= 0 || content.length != 8 + 4L * rows * cols) {
            throw new ModelBundleException("model bundle " + dir + ": reference.bin holds " + content.length
                    + " bytes, not a " + rows + " x " + cols + " float matrix");
        }
        float[] values = new float[rows * cols];
        buffer.asFloatBuffer().get(values);
        try {
            return new FeatureMatrix(rows, cols, values);
        } catch (IllegalArgumentException e) {
            throw new ModelBundleException("model bundle " + dir + ": reference.bin is invalid: " + e.getMessage(), e);
        }
    }

    private static JsonObject parseJson(Path dir, String name, byte[] content) {
        try {
            return JsonParser.parseString(new String(content, StandardCharsets.UTF_8)).getAsJsonObject();
        } catch (RuntimeException e) {
            throw new ModelBundleException("model bundle " + dir + ": " + name + " is not valid JSON: " + e, e);
        }
    }

    private static byte[] read(Path dir, String name) {
        Path file = dir.resolve(name).normalize();
        if (!file.startsWith(dir.normalize())) {
            throw new ModelBundleException("model bundle " + dir + ": manifest.json names a file outside it: " + name);
        }
        try {
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ModelBundleException("model bundle " + dir + " lacks " + name
                    + (name.equals(FORMAT_FILE) ? " (not a Vigil model bundle?)" : ""), e);
        } catch (IOException e) {
            throw new ModelBundleException("model bundle " + dir + ": cannot read " + name + ": " + e, e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }
}
