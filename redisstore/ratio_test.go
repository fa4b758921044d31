package redisstore

import (
	"context"
	"os/exec"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestRatioToRedisBenchmark measures the adapter's replay checks beside redis-benchmark's
// own throughput for the equivalent command — EVALSHA of the very script Claim runs, one
// fresh key each — against the same server in the same run, with the same concurrency
// (32 clients, here 32 goroutines over 4 connections). It logs both and their ratio; it
// asserts nothing about speed. It skips without redis-benchmark.
func TestRatioToRedisBenchmark(t *testing.T) {
	if testing.Short() {
		t.Skip("ratio measurement skipped in -short mode")
	}
	bench, err := exec.LookPath("redis-benchmark")
	if err != nil {
		t.Skip("redis-benchmark not installed")
	}
	addr := redisAddr(t)
	host, port, _ := strings.Cut(addr, ":")
	const (
		conns      = 4
		goroutines = 32
		jobs       = 20000
	)
	stores := fleet(t, conns)
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	now := time.Date(2026, 11, 22, 9, 0, 0, 0, time.UTC)
	ours := runLoad(ctx, t, goroutines, jobs, func(ctx context.Context, g, j int) error {
		_, err := stores[g%conns].Claim(ctx, "ratio/"+strconv.Itoa(j), now, now.Add(time.Minute))
		return err
	})

	_, c := newTestStore(t)
	sha, err := c.ScriptLoad(ctx, claimScript).Result()
	if err != nil {
		t.Fatal(err)
	}
	prefix := testPrefix(t, c)
	ns, es := strconv.FormatInt(now.Unix(), 10), strconv.FormatInt(now.Add(time.Minute).Unix(), 10)
	out, err := exec.CommandContext(ctx, bench, "-h", host, "-p", port, "-c", strconv.Itoa(goroutines),
		"-n", strconv.Itoa(jobs), "-r", "100000000", "-q",
		"EVALSHA", sha, "1", prefix+":ratio:__rand_int__", ns, "0", es, "0", "60000").CombinedOutput()
	if err != nil {
		t.Fatalf("redis-benchmark: %v\n%s", err, out)
	}
	m := regexp.MustCompile(`([0-9.]+) requests per second`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("redis-benchmark printed no rate:\n%s", out)
	}
	theirs, _ := strconv.ParseFloat(string(m[1]), 64)
	rate := float64(ours.checks) / ours.elapsed.Seconds()
	t.Logf("adapter Claim: %.0f checks/s (p99 %v); redis-benchmark EVALSHA of the same script: %.0f requests/s; ratio %.2f",
		rate, ours.p99, theirs, rate/theirs)
}
