package io.keisei.resource;

import io.keisei.contracts.api.ResourceAmount;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * An amount of the three things a pool hands out: CPU in millicores, memory in MiB and whole GPUs.
 * Used for capacities, requests, what is in use and what is free.
 */
public record Resources(long cpuMillis, long memoryMb, int gpus) {

    public static final Resources NONE = new Resources(0, 0, 0);

    /** True when this amount fits, in every dimension, into {@code available}. */
    public boolean fitsIn(Resources available) {
        return cpuMillis <= available.cpuMillis && memoryMb <= available.memoryMb && gpus <= available.gpus;
    }

    /** This amount as the API writes it. */
    public ResourceAmount amount() {
        return new ResourceAmount(cpuMillis, memoryMb, gpus);
    }

    public Resources plus(Resources o) {
        return new Resources(cpuMillis + o.cpuMillis, memoryMb + o.memoryMb, gpus + o.gpus);
    }

    /** This minus {@code o}, never below zero in any dimension. */
    public Resources minusFloorZero(Resources o) {
        return new Resources(Math.max(0, cpuMillis - o.cpuMillis), Math.max(0, memoryMb - o.memoryMb),
                Math.max(0, gpus - o.gpus));
    }

    /** The smaller amount in each dimension. */
    public Resources min(Resources o) {
        return new Resources(Math.min(cpuMillis, o.cpuMillis), Math.min(memoryMb, o.memoryMb), Math.min(gpus, o.gpus));
    }

    /**
     * Why this amount does not fit into {@code free} (out of {@code total}), one phrase per short
     * dimension, e.g. "needs 2 CPU, 1 of 4 CPU free". Empty when it fits.
     */
    public List<String> shortfalls(Resources free, Resources total) {
        List<String> out = new ArrayList<>(3);
        if (cpuMillis > free.cpuMillis) {
            out.add("needs " + cpu(cpuMillis) + ", " + cores(free.cpuMillis) + " of " + cpu(total.cpuMillis) + " free");
        }
        if (memoryMb > free.memoryMb) {
            out.add("needs " + memoryMb + " MiB memory, " + free.memoryMb + " of " + total.memoryMb + " MiB free");
        }
        if (gpus > free.gpus) {
            out.add("needs " + gpus(gpus) + ", " + free.gpus + " of " + total.gpus + " free");
        }
        return out;
    }

    /**
     * Why this amount can never fit a pool of {@code capacity}, one phrase per dimension that is
     * too large, e.g. "needs 1 GPU but pool 'local' has 0 GPUs". Empty when it can fit.
     */
    public List<String> excesses(String pool, Resources capacity) {
        List<String> out = new ArrayList<>(3);
        if (cpuMillis > capacity.cpuMillis) {
            out.add("needs " + cpu(cpuMillis) + " but pool '" + pool + "' has " + cpu(capacity.cpuMillis) + " in all");
        }
        if (memoryMb > capacity.memoryMb) {
            out.add("needs " + memoryMb + " MiB memory but pool '" + pool + "' has " + capacity.memoryMb + " MiB in all");
        }
        if (gpus > capacity.gpus) {
            out.add("needs " + gpus(gpus) + " but pool '" + pool + "' has " + gpus(capacity.gpus));
        }
        return out;
    }

    /**
     * CPU as people read it, in cores: "1 CPU", "0.5 CPU", "1.25 CPU" (never "1000m"), as the dashboard and the
     * CLI write it.
     */
    static String cpu(long millis) {
        return cores(millis) + " CPU";
    }

    /** Millicores as a number of cores without trailing zeros: 1000 is "1", 1500 is "1.5", 250 is "0.25". */
    static String cores(long millis) {
        return BigDecimal.valueOf(millis, 3).stripTrailingZeros().toPlainString();
    }

    /** An amount as people read it: "8 CPU, 65536 MiB memory, 4 GPUs" (GPUs only when there are some). */
    static String amountText(Resources r) {
        return cpu(r.cpuMillis) + ", " + r.memoryMb + " MiB memory" + (r.gpus > 0 ? ", " + gpus(r.gpus) : "");
    }

    static String gpus(int n) {
        return n + (n == 1 ? " GPU" : " GPUs");
    }
}
