"""Query-cache abuse figures against a real `lambda serve` (docs/benchmarks.md): 3,000 different
7-day per-minute queries from one advertiser key (4 connections, gzip, within the default rate
limit) while a separate process times GET /v1/health back to back; reports the health latencies
before and during the load, and the server's RSS. Build first: dotnet build jobs/Lambda.Cli -c
Release (the seed is `lambda bench serving-seed`)."""
import http.client, multiprocessing, os, subprocess, sys, threading, time
root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
lam = os.path.join(root, "jobs/Lambda.Cli/bin/Release/net10.0/lambda")
data = os.path.join(os.environ.get("TMPDIR", "/tmp"), "lambda-cache-abuse")
port = 18092
QUERIES = int(os.environ.get("QUERIES", "3000"))
D = 1_795_392_000_000

def iso(ms):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(ms / 1000))

def probe(seconds, out, stop=None):
    conn = http.client.HTTPConnection("127.0.0.1", port)
    lat = []
    end = time.perf_counter() + seconds
    while time.perf_counter() < end and not (stop and stop.is_set()):
        t = time.perf_counter()
        conn.request("GET", "/v1/health"); conn.getresponse().read()
        lat.append((time.perf_counter() - t) * 1000)
        time.sleep(0.002)
    out.put(lat)

def summary(lat):
    lat = sorted(lat)
    return f"n={len(lat)} p50 {lat[len(lat)//2]:.2f} ms, p99 {lat[int(len(lat)*0.99)]:.2f} ms, max {lat[-1]:.1f} ms"

def main():
    subprocess.run(["rm", "-rf", data]); os.makedirs(data)
    subprocess.run([lam, "--data-dir", data, "bench", "serving-seed"], check=True, capture_output=True)
    key = subprocess.run([lam, "--data-dir", data, "keys", "create", "--advertiser", "bench-adv"], capture_output=True, text=True).stdout.strip().split()[-1]
    server = subprocess.Popen([lam, "--data-dir", data, "serve", "--urls", f"http://127.0.0.1:{port}"] + sys.argv[1:],
                              stdout=open(os.path.join(data, "serve.log"), "w"), stderr=subprocess.STDOUT)
    def rss():
        for l in open(f"/proc/{server.pid}/status"):
            if l.startswith("VmRSS"): return int(l.split()[1]) // 1024
    for _ in range(100):
        try:
            c = http.client.HTTPConnection("127.0.0.1", port); c.request("GET", "/v1/health"); c.getresponse().read(); break
        except OSError: time.sleep(0.2)
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=probe, args=(10, q)); p.start(); idle = q.get(); p.join()
    print("health, idle:", summary(idle), f"; rss {rss()} MB")
    peak = [0]; statuses = {}; lock = threading.Lock(); nxt = [0]; done = threading.Event()
    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port)
        while True:
            with lock:
                i = nxt[0]; nxt[0] += 1
            if i >= QUERIES: return
            f = D - 6 * 86_400_000 + i * 60_000
            conn.request("GET", f"/v1/campaigns/bench-{i % 10}/metrics?from={iso(f)}&to={iso(f + 7 * 86_400_000)}&granularity=minute",
                         headers={"Authorization": "Bearer " + key, "Accept-Encoding": "gzip"})
            r = conn.getresponse(); r.read()
            with lock: statuses[r.status] = statuses.get(r.status, 0) + 1
    def watch():
        while not done.is_set():
            peak[0] = max(peak[0], rss()); time.sleep(0.2)
    w = threading.Thread(target=watch); w.start()
    stop = multiprocessing.Event()
    p = multiprocessing.Process(target=probe, args=(3600, q, stop))
    started = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(4)]
    p.start()
    for t in threads: t.start()
    for t in threads: t.join()
    took = time.perf_counter() - started
    stop.set(); during = q.get(); p.join()
    done.set(); w.join()
    print("health, during:", summary(during))
    print(f"{QUERIES} week-of-minutes queries in {took:.0f} s ({QUERIES/took:.0f}/s), statuses {statuses}; rss peak {peak[0]} MB, after {rss()} MB")
    p = multiprocessing.Process(target=probe, args=(10, q)); p.start(); after = q.get(); p.join()
    print("health, after:", summary(after))
    server.terminate(); server.wait()

if __name__ == "__main__":
    main()
