#!/bin/bash
# warm-up curve of starts for JIT settings of training-service and resource-service
cd "$(dirname "$0")/../../.."  # the repository
export KEISEI_DATA_DIR=/tmp/kdata KEISEI_GATEWAY_PORT=26080 KEISEI_TRAINING_PORT=26081 KEISEI_METRICS_PORT=26082 KEISEI_RESOURCE_PORT=26083 KEISEI_RATE_LIMIT_PER_SECOND=100000
# rows of warmup-curves.txt, run in two batches (the first five, then the last three)
for setting in "scale01:-XX:CompileThresholdScaling=0.1" "scale001:-XX:CompileThresholdScaling=0.01" "c1:-XX:TieredStopAtLevel=1" "scale001b:-XX:CompileThresholdScaling=0.01" "scale01b:-XX:CompileThresholdScaling=0.1" "c1s01:-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.1" "c1s001:-XX:TieredStopAtLevel=1 -XX:CompileThresholdScaling=0.01" "c1b:-XX:TieredStopAtLevel=1"; do
  name=${setting%%:*}; opts=${setting#*:}
  export KEISEI_TRAINING_JVM_OPTIONS="$opts" KEISEI_RESOURCE_JVM_OPTIONS="$opts"
  nohup ./keisei up > /tmp/ab/up.log 2>&1 &
  for i in $(seq 1 150); do curl -sf http://127.0.0.1:26081/q/health/ready -o /dev/null && curl -sf http://127.0.0.1:26083/q/health/ready -o /dev/null && curl -sf http://127.0.0.1:26080/q/health/ready -o /dev/null && break; sleep 1; done
  sleep 10
  echo "== $name $opts $(date +%T)" >> warmup-curves.txt
  python3 bench/scripts/control-cycles.py 26080 0 60 >> warmup-curves.txt 2>&1
  ./keisei down >> /tmp/ab/up.log 2>&1
  sleep 3
done
echo done >> warmup-curves.txt
