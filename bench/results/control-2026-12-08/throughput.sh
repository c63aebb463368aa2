#!/bin/bash
# sessions list throughput (shared reads off), training-service alone and through the gateway, two compiler settings
cd "$(dirname "$0")/../../.."  # the repository
export KEISEI_DATA_DIR=/tmp/kdata-tp KEISEI_GATEWAY_PORT=26080 KEISEI_TRAINING_PORT=26081 KEISEI_METRICS_PORT=26082 KEISEI_RESOURCE_PORT=26083 KEISEI_RATE_LIMIT_PER_SECOND=100000 KEISEI_CACHE_LIVE_TTL=0
for setting in "c1s01:" "tiered01:-XX:TieredStopAtLevel=4 -XX:CompileThresholdScaling=0.1"; do
  name=${setting%%:*}; opts=${setting#*:}
  export KEISEI_TRAINING_JVM_OPTIONS="$opts" KEISEI_RESOURCE_JVM_OPTIONS="$opts"
  nohup ./keisei up > /tmp/ab/up-tp.log 2>&1 &
  for i in $(seq 1 150); do curl -sf http://127.0.0.1:26081/q/health/ready -o /dev/null && curl -sf http://127.0.0.1:26080/q/health/ready -o /dev/null && break; sleep 1; done
  sleep 5
  TOK=$(cat $KEISEI_DATA_DIR/admin.token); SVC=$(cat $KEISEI_DATA_DIR/service.token)
  n=$(curl -s -H "Authorization: Bearer $TOK" "http://127.0.0.1:26080/api/v1/sessions?size=1" | python3 -c 'import json,sys; print(json.load(sys.stdin).get("total",0))')
  for i in $(seq $((n+1)) 20); do curl -s -o /dev/null -H "Authorization: Bearer $TOK" -H 'Content-Type: application/json' -d "{\"name\":\"tp-$i\",\"template\":\"quick-cpu\"}" http://127.0.0.1:26080/api/v1/sessions; done
  ps -o args= -p $(pgrep -f training-service/target/quarkus-app | head -1) | tr ' ' '\n' | grep -E "Tiered|CompileThreshold" | tr '\n' ' ' >> throughput.txt
  for r in 1 2 3; do
    wrk -t2 -c16 -d10s -H "Authorization: Bearer $TOK" "http://127.0.0.1:26080/api/v1/sessions?size=20" > /dev/null
    wrk -t2 -c16 -d10s -H "Keisei-Service-Credential: $SVC" "http://127.0.0.1:26081/sessions?size=20" > /dev/null
  done
  for r in 1 2 3; do
    g=$(wrk -t2 -c16 -d8s -H "Authorization: Bearer $TOK" "http://127.0.0.1:26080/api/v1/sessions?size=20" | grep Requests/sec | awk '{print $2}')
    t=$(wrk -t2 -c16 -d8s -H "Keisei-Service-Credential: $SVC" "http://127.0.0.1:26081/sessions?size=20" | grep Requests/sec | awk '{print $2}')
    echo "$name round $r gateway $g training $t $(date +%T)" >> throughput.txt
  done
  ./keisei down >> /tmp/ab/up-tp.log 2>&1
  sleep 3
done
echo done >> throughput.txt
