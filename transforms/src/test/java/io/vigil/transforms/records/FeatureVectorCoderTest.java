package io.vigil.transforms.records;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class FeatureVectorCoderTest {
  @Test
  void beamFindsTheCoderFromTheAnnotation() throws Exception {
    assertThat(CoderRegistry.createDefault().getCoder(FeatureVector.class)).isSameAs(FeatureVector.Coder.of());
  }

  @Test
  void roundTripsEveryField() throws Exception {
    FeatureVector vector = new FeatureVector("enc-7", new float[] {0f, -1.5f, Float.MIN_VALUE, 1e30f},
        List.of("diag_1=V99"), List.of("num_medications"));

    byte[] bytes = CoderUtils.encodeToByteArray(FeatureVector.Coder.of(), vector);

    assertThat(CoderUtils.decodeFromByteArray(FeatureVector.Coder.of(), bytes)).isEqualTo(vector);
  }
}
