"""POST /v1/events abuse figures against a real `lambda serve` (docs/reliability.md, Abuse): a 4 MiB
body of x\n lines three times (status, time, server RSS), then 1-event POSTs back to back while a
~3.4 MB valid body and a 1 MiB junk body are posted. Build first: dotnet build jobs/Lambda.Cli -c Release."""
import json, os, subprocess, sys, threading, time, urllib.request
lam = os.path.join(os.path.dirname(os.path.abspath(__file__)), "../jobs/Lambda.Cli/bin/Release/net10.0/lambda")
data = os.path.join(os.environ.get("TMPDIR", "/tmp"), "lambda-ingest-abuse")
subprocess.run(["rm", "-rf", data]); os.makedirs(data)
key = subprocess.run([lam, "--data-dir", data, "keys", "create", "--admin"], capture_output=True, text=True).stdout.strip().split()[-1]
port = 18091
server = subprocess.Popen([lam, "--data-dir", data, "serve", "--urls", f"http://127.0.0.1:{port}"], stdout=open(data + "/serve.log", "w"), stderr=subprocess.STDOUT)
base = f"http://127.0.0.1:{port}"
for _ in range(100):
    try:
        urllib.request.urlopen(base + "/v1/health"); break
    except Exception: time.sleep(0.2)
def rss():
    for l in open(f"/proc/{server.pid}/status"):
        if l.startswith("VmRSS"): return int(l.split()[1]) // 1024
def post(body):
    req = urllib.request.Request(base + "/v1/events", data=body, method="POST", headers={"Authorization": "Bearer " + key, "Content-Type": "application/x-ndjson"})
    t = time.perf_counter()
    try:
        r = urllib.request.urlopen(req); code = r.status; text = r.read()
    except urllib.error.HTTPError as e:
        code = e.code; text = e.read()
    return code, time.perf_counter() - t, text
now = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
def view(i, ad="ad1"):
    return json.dumps({"type": "view", "event_id": f"e{i}", "ad_id": f"{ad}{i % 50}", "user_id": "u1", "ip": "10.0.0.1", "user_agent": "Mozilla/5.0", "event_time": now}) + "\n"
print("rss at start MB", rss())
junk = b"x\n" * (2 * 1024 * 1024 - 8)
for i in range(3):
    code, secs, text = post(junk)
    print(f"junk 4 MiB: {code} in {secs*1000:.0f} ms, body {len(text)} B, rss {rss()} MB")
time.sleep(5)
print("rss 5 s after junk MB", rss())
valid = "".join(view(i) for i in range(22000)).encode()
print("valid body bytes", len(valid))
code, secs, _ = post(valid)
print(f"valid ~4 MiB alone: {code} in {secs*1000:.0f} ms")
for label, big in [("valid 4 MiB", valid), ("junk 1 MiB", b"x\n" * (512 * 1024))]:
    lat = []
    done = threading.Event()
    res = {}
    def run_big():
        res["r"] = post(big); done.set()
    t = threading.Thread(target=run_big); t.start()
    time.sleep(0.01)
    while not done.is_set():
        code, secs, _ = post(view(999999).encode())
        lat.append(secs * 1000)
    t.join()
    lat.sort()
    print(f"{label} concurrent: big {res['r'][0]} in {res['r'][1]*1000:.0f} ms; 1-event posts meanwhile: n={len(lat)} median {lat[len(lat)//2]:.1f} ms max {lat[-1]:.1f} ms")
print("rss at end MB", rss())
server.terminate(); server.wait()
