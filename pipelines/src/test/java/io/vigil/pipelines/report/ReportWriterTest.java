package io.vigil.pipelines.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.vigil.transforms.records.AnomalyResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReportWriterTest {
  private static final byte[] PNG_MAGIC = {(byte) 0x89, 'P', 'N', 'G'};

  @Test
  void writesTheHtmlAndEveryChartAsPng(@TempDir Path dir) throws Exception {
    Random random = new Random(1);
    double[] validation = random.doubles(300).map(v -> v * 2 - 1).toArray();
    double[] scored = random.doubles(400).map(v -> v * 2 - 1.1).toArray();
    List<ProjectedPoint> points = new ArrayList<>();
    for (int i = 0; i < 200; i++) {
      points.add(new ProjectedPoint("r" + i,
          new double[] {random.nextGaussian(), random.nextGaussian(), random.nextGaussian()}, i % 50 == 0));
    }
    AnomalyResult worst = AnomalyResult.builder().setRecordId("enc-<7>").setScore(-3.5).setThreshold(-1)
        .setAnomaly(true).setModelVersion("abc").setExplanationColumns(List.of("num_medications", "age"))
        .setExplanationContributions(List.of(-1.25, -0.5)).build();
    ReportData data = ReportData.builder("Vigil test report")
        .summary("rows scored", 400)
        .losses(List.of(1.0, 0.5, 0.2), List.of(-1.0, -0.4, -0.1), List.of(0.3, 0.2, 0.1))
        .scores(validation, scored, -0.98)
        .projection(points, new double[] {1.0, 0.9, 0.8})
        .mostAnomalous(List.of(worst))
        .build();

    Path html = ReportWriter.write(dir.resolve("report"), data);

    String text = Files.readString(html);
    assertThat(text).contains("Vigil test report", "rows scored", "num_medications (-1.25)", "enc-&lt;7&gt;");
    for (String chart : List.of("losses.png", "scores.png", "pca-2d.png", "pca-3d.png")) {
      assertThat(text).contains("src=\"" + chart + "\"");
      byte[] bytes = Files.readAllBytes(html.resolveSibling(chart));
      assertThat(bytes).startsWith(PNG_MAGIC);
    }
  }

  @Test
  void leavesOutChartsWithoutData(@TempDir Path dir) throws Exception {
    ReportData data = ReportData.builder("scores only").scores(new double[] {1, 2, 3}, new double[0], 1.02).build();
    Path html = ReportWriter.write(dir, data);
    assertThat(Files.readString(html)).contains("scores.png").doesNotContain("losses.png", "pca-2d.png");
    assertThat(dir.resolve("losses.png")).doesNotExist();
  }
}
