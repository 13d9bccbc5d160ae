package io.vigil.pipelines.evaluate;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.transforms.PTransform;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.values.PCollection;
import org.apache.beam.sdk.values.PDone;

/**
 * Brings a pipeline's output back into the JVM that ran it, for the evaluation harness, which needs every score in
 * memory to rank them. Works with runners that execute in the launching JVM (the direct runner, Flink's
 * {@code [local]} mini-cluster); the harness always runs there.
 *
 * <pre>{@code
 * LocalCollector<KV<String, Double>> scores = LocalCollector.create();
 * pipeline.apply(...).apply(scores.sink());
 * pipeline.run().waitUntilFinish();
 * List<KV<String, Double>> all = scores.drain();
 * }</pre>
 */
public final class LocalCollector<T> {
  private static final Map<String, ConcurrentLinkedQueue<Object>> BUFFERS = new ConcurrentHashMap<>();

  private final String key;

  private LocalCollector(String key) {
    this.key = key;
  }

  public static <T> LocalCollector<T> create() {
    String key = UUID.randomUUID().toString();
    BUFFERS.put(key, new ConcurrentLinkedQueue<>());
    return new LocalCollector<>(key);
  }

  /** The sink to apply to the collection whose elements are wanted. */
  public PTransform<PCollection<T>, PDone> sink() {
    String bufferKey = key;
    return new PTransform<>() {
      @Override
      public PDone expand(PCollection<T> input) {
        input.apply("Collect", ParDo.of(new CollectFn<>(bufferKey)));
        return PDone.in(input.getPipeline());
      }
    };
  }

  /** The elements collected so far, and releases the buffer. */
  @SuppressWarnings("unchecked")
  public List<T> drain() {
    ConcurrentLinkedQueue<Object> buffer = BUFFERS.remove(key);
    if (buffer == null) {
      throw new IllegalStateException("collector already drained");
    }
    List<T> out = new ArrayList<>(buffer.size());
    buffer.forEach(element -> out.add((T) element));
    return out;
  }

  private static final class CollectFn<T> extends DoFn<T, Void> {
    private static final long serialVersionUID = 1L;
    private final String key;

    CollectFn(String key) {
      this.key = key;
    }

    @ProcessElement
    public void process(@Element T element) {
      ConcurrentLinkedQueue<Object> buffer = BUFFERS.get(key);
      if (buffer == null) {
        throw new IllegalStateException("no collector " + key + " in this JVM: the evaluation needs a local runner");
      }
      buffer.add(element);
    }
  }
}
