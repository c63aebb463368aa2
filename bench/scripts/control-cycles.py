#!/usr/bin/env python3
# Control-call cycles against a running suite: create, start, status, stop, one cycle every 0.5 s, timed by the client.
# Used for bench/results/2026-12-07-control-path.md (quiet suite, and with real trainers running).
#
#   python3 bench/scripts/control-cycles.py PORT WARMUP MEASURED [TRAINERS [SETTLE_SECONDS]]
#
# PORT: the gateway's; the admin token is read from $KEISEI_DATA_DIR/admin.token (default /tmp/kdata). TRAINERS real
# trainers are started first (and stopped at the end), then SETTLE_SECONDS (default 20) pass before the cycles.
import http.client, json, sys, time, statistics
port=int(sys.argv[1]); warm=int(sys.argv[2]); n=int(sys.argv[3]); trainers=int(sys.argv[4]) if len(sys.argv)>4 else 0
import os
tok=open(os.path.join(os.environ.get('KEISEI_DATA_DIR','/tmp/kdata'),'admin.token')).read().strip()
SMALL={"training":{"steps_per_epoch":256,"minibatch_size":64,"tower_width":16,"tower_depth":1,"total_timesteps":10000000},"evaluation":{"num_games":4}}
c=http.client.HTTPConnection('127.0.0.1',port)
def call(m,p,b=None):
    h={'Authorization':'Bearer '+tok}
    if b is not None: h['Content-Type']='application/json'
    t=time.perf_counter(); c.request(m,p,body=json.dumps(b) if b is not None else None,headers=h); r=c.getresponse(); d=r.read(); el=(time.perf_counter()-t)*1000
    if r.status>=300: print('ERR',m,p,r.status,d[:200])
    return el, (json.loads(d) if d else None)
bg=[]
for i in range(trainers):
    _,s=call('POST','/api/v1/sessions',{"name":"bg-%d"%i,"template":"quick-cpu","config":SMALL}); call('POST','/api/v1/sessions/%s/start'%s['id']); bg.append(s['id'])
if trainers: time.sleep(int(sys.argv[5]) if len(sys.argv)>5 else 20)
res={'start':[],'stop':[],'create':[]}
for i in range(warm+n):
    el,s=call('POST','/api/v1/sessions',{"name":"cyc-%d"%i,"template":"quick-cpu","config":SMALL}); sid=s['id']
    e1,_=call('POST','/api/v1/sessions/%s/start'%sid); call('GET','/api/v1/sessions/%s/status'%sid); e2,_=call('POST','/api/v1/sessions/%s/stop'%sid)
    if i>=warm: res['create'].append(el); res['start'].append(e1); res['stop'].append(e2)
    time.sleep(0.5)
for k,v in res.items():
    v=sorted(v); print(k, 'median %.1f p90 %.1f max %.1f mean %.1f'%(statistics.median(v), v[int(len(v)*0.9)-1], v[-1], statistics.mean(v)))
print('starts', ' '.join('%.0f'%x for x in res['start']))
for sid in bg: call('POST','/api/v1/sessions/%s/stop'%sid)
