package io.vigil.transforms.csv;

import java.io.IOException;
import java.io.InputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.SeekableByteChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.apache.beam.sdk.coders.DefaultCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.io.Compression;
import org.apache.beam.sdk.io.FileSystems;
import org.checkerframework.checker.nullness.qual.Nullable;

/**
 * A byte range of one CSV file that one worker reads: the lines that START in {@code [start, end)}. A plain file is
 * cut into several; a compressed file or a zip entry cannot be cut (a Deflate stream has no seek points), so it is one
 * split read from the beginning by one worker.
 *
 * @param file the file's resource id, as {@code FileSystems} names it
 * @param zipEntry the entry to read when the file is a zip archive; null otherwise
 * @param compression how the file (not a zip) is compressed
 */
@DefaultCoder(SerializableCoder.class)
record CsvSplit(String file, @Nullable String zipEntry, Compression compression, long start, long end)
    implements Serializable {

  /** The splits of a file of {@code sizeBytes}: several when it can be cut, one otherwise. */
  static List<CsvSplit> of(String file, @Nullable String zipEntry, Compression compression, long sizeBytes,
      long desiredSplitBytes) {
    List<CsvSplit> splits = new ArrayList<>();
    if (zipEntry != null || compression != Compression.UNCOMPRESSED) {
      splits.add(new CsvSplit(file, zipEntry, compression, 0, Long.MAX_VALUE));
      return splits;
    }
    long start = 0;
    do {
      long end = Math.min(sizeBytes, start + desiredSplitBytes);
      splits.add(new CsvSplit(file, null, compression, start, end));
      start = end;
    } while (start < sizeBytes);
    return splits;
  }

  /** Where lines of this split are named in dead letters: the file, plus the zip entry if any. */
  String sourceName() {
    return zipEntry == null ? file : file + "!" + zipEntry;
  }

  /** Receives the lines of a split, in order. */
  interface LineVisitor {
    void visit(LineReader line) throws IOException;
  }

  /** Hands {@code visitor} every line that starts in this split, in order (the reader is positioned on it). */
  void forEachLine(LineVisitor visitor) throws IOException {
    try (LineReader reader = open()) {
      while (reader.position() < end && reader.next()) {
        visitor.visit(reader);
      }
    }
  }

  /** A reader positioned at the first line that starts in this split. */
  private LineReader open() throws IOException {
    ReadableByteChannel channel = FileSystems.open(FileSystems.matchNewResource(file, false));
    if (zipEntry != null) {
      return new LineReader(openZipEntry(Channels.newInputStream(channel)), 0);
    }
    if (compression != Compression.UNCOMPRESSED) {
      return new LineReader(Channels.newInputStream(compression.readDecompressed(channel)), 0);
    }
    if (start == 0) {
      return new LineReader(Channels.newInputStream(channel), 0);
    }
    if (!(channel instanceof SeekableByteChannel)) {
      channel.close();
      throw new IOException(file + " cannot be read from an offset: its file system gives no seekable channel");
    }
    // The line that starts at `start` belongs to this split only if the byte before it ends a line; reading from
    // start - 1 and skipping to the first line break finds the first line that starts at or after `start`.
    ((SeekableByteChannel) channel).position(start - 1);
    LineReader reader = new LineReader(Channels.newInputStream(channel), start - 1);
    reader.next();
    return reader;
  }

  private InputStream openZipEntry(InputStream raw) throws IOException {
    ZipInputStream zip = new ZipInputStream(raw);
    List<String> names = new ArrayList<>();
    for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
      if (entry.getName().equals(zipEntry)) {
        return zip;
      }
      names.add(entry.getName());
    }
    zip.close();
    throw new IOException("zip archive " + file + " has no entry '" + zipEntry + "'; its entries are " + names);
  }
}
