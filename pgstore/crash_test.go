package pgstore

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/wallet"
)

// cluster is the throw-away cluster .ci/pg-tests runs, which the crash test kills and
// restarts.
type cluster struct {
	data, bin, owner string
}

// ownCluster returns the cluster the tests may kill, or skips t: it needs
// TRUSTID_PG_DATA, TRUSTID_PG_BIN and TRUSTID_PG_OWNER (set by .ci/pg-tests), and to run
// as the cluster's owner or as root.
func ownCluster(t *testing.T) cluster {
	t.Helper()
	pgDSN(t)
	c := cluster{os.Getenv("TRUSTID_PG_DATA"), os.Getenv("TRUSTID_PG_BIN"), os.Getenv("TRUSTID_PG_OWNER")}
	if c.data == "" || c.bin == "" || c.owner == "" {
		t.Skip("TRUSTID_PG_DATA, TRUSTID_PG_BIN and TRUSTID_PG_OWNER not set: the crash test kills and restarts the cluster .ci/pg-tests made, and no other")
	}
	me, err := user.Current()
	if err != nil || (me.Uid != "0" && me.Username != c.owner) {
		t.Skipf("the crash test runs as root or as the cluster's owner %s", c.owner)
	}
	return c
}

// postmaster returns the server's process ID from postmaster.pid.
func (c cluster) postmaster(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(c.data, "postmaster.pid"))
	if err != nil {
		t.Fatalf("reading postmaster.pid: %v", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]))
	if err != nil || pid <= 1 {
		t.Fatalf("postmaster.pid does not start with a process ID")
	}
	return pid
}

// kill sends SIGKILL to the server and then to every process it started (the backends,
// the checkpointer, ...), as a crash of the machine's database would, and waits until
// they are gone.
func (c cluster) kill(t *testing.T) {
	t.Helper()
	pid := c.postmaster(t)
	children := childrenOf(pid)
	if err := syscall.Kill(pid, syscall.SIGKILL); err != nil {
		t.Fatalf("kill -9 postgres: %v", err)
	}
	for _, p := range children {
		_ = syscall.Kill(p, syscall.SIGKILL)
	}
	deadline := time.Now().Add(10 * time.Second)
	for _, p := range append(children, pid) {
		for syscall.Kill(p, 0) == nil && time.Now().Before(deadline) {
			time.Sleep(20 * time.Millisecond)
		}
	}
}

// childrenOf lists the processes whose parent is pid, from /proc.
func childrenOf(pid int) []int {
	ents, _ := os.ReadDir("/proc")
	var out []int
	for _, e := range ents {
		p, err := strconv.Atoi(e.Name())
		if err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat"))
		if err != nil {
			continue
		}
		// pid (comm) state ppid ...: comm may hold spaces, so read after the last ')'.
		f := strings.Fields(string(b[strings.LastIndexByte(string(b), ')')+1:]))
		if len(f) > 1 && f[1] == strconv.Itoa(pid) {
			out = append(out, p)
		}
	}
	return out
}

// start starts the server again (crash recovery runs first) and waits until it takes
// connections, for at most a minute.
func (c cluster) start(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	args := []string{filepath.Join(c.bin, "pg_ctl"), "-D", c.data, "-l", filepath.Join(filepath.Dir(c.data), "restart.log"), "-w", "-t", "50", "start"}
	if me, _ := user.Current(); me != nil && me.Uid == "0" {
		args = append([]string{"runuser", "-u", c.owner, "--"}, args...)
	}
	if out, err := exec.CommandContext(ctx, args[0], args[1:]...).CombinedOutput(); err != nil {
		t.Fatalf("restarting postgres: %v\n%s", err, out)
	}
}

// TestCrashMidTransaction kills the server (kill -9) while PutAssigned's transaction has
// written a case and not committed, and while writers save wallets; every caller gets an
// error matching ErrUnavailable, guards and limiters refuse, and after a restart
// nothing is half-written: the uncommitted case is absent, every wallet's index table
// agrees with its record, every acknowledged save is there, and the next calls succeed.
func TestCrashMidTransaction(t *testing.T) {
	c := ownCluster(t)
	s, pool := newStore(t)
	ctx := context.Background()
	rs, err := s.ReviewStore()
	if err != nil {
		t.Fatal(err)
	}
	ws := s.WalletStore()
	now := journeyNow
	rule := store.AttemptRule{Limit: 5, Window: time.Minute}

	restarted := false
	t.Cleanup(func() {
		if !restarted {
			c.start(t) // leave the cluster running for the other tests
		}
	})

	// Writers: each owns one holder and saves it again and again, counting the saves
	// acknowledged, until the server goes away.
	const writers = 4
	acked := make([]uint64, writers)
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for i := range writers {
		wg.Go(func() {
			holder := fmt.Sprint("holder-", i)
			var rec wallet.StoredWallet
			rec.Holder = holder
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				rec.Index = append(rec.Index, fmt.Sprintf("c:%d:%d", i, n))
				rec.Data = fmt.Appendf(rec.Data, "%d,", n)
				v, err := ws.Save(ctx, rec)
				if err != nil {
					if !errors.Is(err, ErrUnavailable) {
						t.Errorf("Save during the crash error = %v, want one matching ErrUnavailable", err)
					}
					return
				}
				rec.Version = v
				acked[i] = v
			}
		})
	}
	time.Sleep(200 * time.Millisecond) // let the writers get going

	// Kill the server inside PutAssigned's transaction, after its write.
	rs.beforeCommit = func() { c.kill(t) }
	cs := &review.Case{ID: "rv-crash", Application: reviewApplication("acct-crash"), State: review.StateInReview,
		Reviewer: "r1", Created: now, Updated: now}
	if _, err := rs.PutAssigned(ctx, cs, 5); !errors.Is(err, ErrUnavailable) {
		t.Errorf("PutAssigned with the server killed before its commit error = %v, want one matching ErrUnavailable", err)
	}
	rs.beforeCommit = nil
	close(stop)
	wg.Wait()

	// While the server is down, every call fails closed with ErrUnavailable.
	down, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	if first, err := s.Claim(down, "code", now, now.Add(time.Minute)); first || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Claim with the server down = %v, %v; want false and an error matching ErrUnavailable", first, err)
	}
	if res, err := s.Take(down, "subject", now, rule); res.Allowed || !errors.Is(err, ErrUnavailable) {
		t.Errorf("Take with the server down = %+v, %v; want not allowed and an error matching ErrUnavailable", res, err)
	}
	if ok, err := s.AskedStore().Claim(down, "subject", []string{"id"}, now, now.Add(time.Minute)); ok || !errors.Is(err, ErrUnavailable) {
		t.Errorf("AskedStore.Claim with the server down = %v, %v; want false and ErrUnavailable", ok, err)
	}
	if _, err := ws.Load(down, "holder-0"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Load with the server down error = %v, want one matching ErrUnavailable", err)
	}
	if _, err := rs.Get(down, "rv-crash"); !errors.Is(err, ErrUnavailable) {
		t.Errorf("Get with the server down error = %v, want one matching ErrUnavailable", err)
	}

	c.start(t)
	restarted = true
	t.Logf("saves acknowledged per writer before the crash: %v", acked)

	// The next call succeeds.
	if first, err := s.Claim(ctx, "code", now, now.Add(time.Minute)); !first || err != nil {
		t.Errorf("Claim after the restart = %v, %v; want true, nil", first, err)
	}
	if res, err := s.Take(ctx, "subject", now, rule); !res.Allowed || err != nil {
		t.Errorf("Take after the restart = %+v, %v; want allowed", res, err)
	}
	// The case written in the killed transaction is not there.
	if _, err := rs.Get(ctx, "rv-crash"); !errors.Is(err, review.ErrNotFound) {
		t.Errorf("Get(case of the killed transaction) error = %v, want ErrNotFound", err)
	}
	if _, err := rs.PutAssigned(ctx, cs, 1); err != nil {
		t.Errorf("PutAssigned after the restart error = %v", err)
	}
	// Every acknowledged save is there; a save may have been written and not
	// acknowledged (the server died between commit and reply), never the reverse; and each
	// record's index agrees with the index table.
	for i := range writers {
		holder := fmt.Sprint("holder-", i)
		rec, err := ws.Load(ctx, holder)
		if err != nil {
			if acked[i] == 0 && errors.Is(err, wallet.ErrNotFound) {
				continue
			}
			t.Fatalf("Load(%s) after the restart error = %v", holder, err)
		}
		if rec.Version < acked[i] || rec.Version > acked[i]+1 {
			t.Errorf("%s at version %d after the restart; %d saves were acknowledged", holder, rec.Version, acked[i])
		}
		if len(rec.Index) != int(rec.Version) {
			t.Errorf("%s at version %d holds %d index keys: a half-written save", holder, rec.Version, len(rec.Index))
		}
		rows, err := pool.Query(ctx, `SELECT key FROM trustid_wallet_index WHERE holder = $1`, holder)
		if err != nil {
			t.Fatal(err)
		}
		var keys []string
		for rows.Next() {
			var k string
			if err := rows.Scan(&k); err != nil {
				t.Fatal(err)
			}
			keys = append(keys, k)
		}
		slices.Sort(keys)
		if want := slices.Sorted(slices.Values(rec.Index)); !slices.Equal(want, keys) {
			t.Errorf("%s: the index table holds %d keys, the record %d: record and index disagree", holder, len(keys), len(want))
		}
		if _, err := ws.Save(ctx, wallet.StoredWallet{Holder: holder, Version: rec.Version, Index: rec.Index}); err != nil {
			t.Errorf("Save(%s) after the restart error = %v", holder, err)
		}
	}
}
