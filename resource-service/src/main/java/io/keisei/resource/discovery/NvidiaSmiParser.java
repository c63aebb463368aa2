package io.keisei.resource.discovery;

import io.keisei.contracts.GpuStatus;

import java.util.ArrayList;
import java.util.List;

/**
 * Parses the output of {@code nvidia-smi --query-gpu=index,uuid,name,memory.total,memory.used,utilization.gpu
 * --format=csv,noheader,nounits}: one line per GPU, fields separated by ", ", e.g.
 * {@code 0, GPU-6f1c..., NVIDIA H100 80GB HBM3, 81559, 1, 0}. A number nvidia-smi cannot report
 * ("[N/A]", "[Not Supported]") reads as 0, so one odd field never hides a GPU.
 */
public final class NvidiaSmiParser {

    /** The query this parser reads. */
    public static final String QUERY = "index,uuid,name,memory.total,memory.used,utilization.gpu";
    public static final List<String> ARGUMENTS = List.of("--query-gpu=" + QUERY, "--format=csv,noheader,nounits");

    private static final int FIELDS = 6;

    private NvidiaSmiParser() {
    }

    /** The GPUs, ordered by index; IllegalArgumentException when a line is not what the query prints. */
    public static List<GpuStatus> parse(String output) {
        List<GpuStatus> gpus = new ArrayList<>();
        for (String raw : output.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty()) {
                continue;
            }
            // The name is the only field that may contain a comma; it sits between uuid and the three numbers.
            String[] parts = line.split(",");
            if (parts.length < FIELDS) {
                throw new IllegalArgumentException("unexpected nvidia-smi line (" + FIELDS + " fields expected): " + line);
            }
            int n = parts.length;
            String name = String.join(",", java.util.Arrays.copyOfRange(parts, 2, n - 3)).strip();
            int index;
            try {
                index = Integer.parseInt(parts[0].strip());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("unexpected GPU index in nvidia-smi line: " + line);
            }
            if (index < 0 || name.isEmpty()) {
                throw new IllegalArgumentException("unexpected nvidia-smi line: " + line);
            }
            gpus.add(new GpuStatus(index, parts[1].strip(), name, (long) number(parts[n - 2]), (long) number(parts[n - 3]),
                    number(parts[n - 1])));
        }
        gpus.sort(java.util.Comparator.comparingInt(GpuStatus::index));
        return List.copyOf(gpus);
    }

    private static double number(String field) {
        String s = field.strip();
        try {
            double v = Double.parseDouble(s);
            return Double.isFinite(v) && v >= 0 ? v : 0;
        } catch (NumberFormatException e) {
            return 0; // [N/A], [Not Supported], [Unknown Error]
        }
    }
}
