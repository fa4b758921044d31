package redisstore

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
)

// TestMain silences go-redis's own logger, which prints every failed dial; the
// fail-closed tests fail many dials on purpose and check the errors themselves.
func TestMain(m *testing.M) {
	redis.SetLogger(quietLogger{})
	os.Exit(m.Run())
}

type quietLogger struct{}

func (quietLogger) Printf(context.Context, string, ...any) {}

// testSecret is a fixed 32-byte secret for tests (the ASCII bytes below, nothing more).
var testSecret = []byte("trustid redisstore test secret!!")

// redisAddr returns the address of the Redis server the tests may use, or skips t. Only a
// loopback address is accepted: the tests write to and load the server.
func redisAddr(t testing.TB) string {
	t.Helper()
	addr := os.Getenv("TRUSTID_REDIS_ADDR")
	if addr == "" {
		t.Skip("TRUSTID_REDIS_ADDR not set: set it to a disposable loopback Redis (e.g. 127.0.0.1:6390) to run the Redis tests; .ci/redis-tests starts one")
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		t.Fatalf("TRUSTID_REDIS_ADDR=%q: %v", addr, err)
	}
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("TRUSTID_REDIS_ADDR=%q is not a loopback address; the tests only talk to a local server", addr)
	}
	return addr
}

// newClient returns a client for addr that is closed when t ends.
func newClient(t testing.TB, addr string, opt func(*redis.Options)) *redis.Client {
	t.Helper()
	o := &redis.Options{Addr: addr, DisableIdentity: true}
	if opt != nil {
		opt(o)
	}
	c := redis.NewClient(o)
	t.Cleanup(func() { c.Close() })
	return c
}

// testPrefix returns a fresh key prefix and deletes every key under it when t ends, so
// tests never see each other's entries and leave the server as they found it.
func testPrefix(t testing.TB, c redis.UniversalClient) string {
	t.Helper()
	var b [8]byte
	rand.Read(b[:])
	prefix := "trustidtest-" + hex.EncodeToString(b[:])
	t.Cleanup(func() {
		ctx := context.Background()
		iter := c.Scan(ctx, 0, prefix+":*", 1000).Iterator()
		for iter.Next(ctx) {
			c.Del(ctx, iter.Val())
		}
	})
	return prefix
}

// newTestStore returns a Store on the server at TRUSTID_REDIS_ADDR under a fresh prefix,
// and its client.
func newTestStore(t testing.TB) (*Store, *redis.Client) {
	t.Helper()
	c := newClient(t, redisAddr(t), nil)
	if err := c.Ping(context.Background()).Err(); err != nil {
		t.Fatalf("ping %s: %v", c.Options().Addr, err)
	}
	s, err := New(Config{Client: c, Secret: testSecret, Prefix: testPrefix(t, c)})
	if err != nil {
		t.Fatal(err)
	}
	return s, c
}

// server is a redis-server process owned by one test, so that the test can stop it.
type server struct {
	addr string
	cmd  *exec.Cmd
	log  *bytes.Buffer
}

// startServer starts redis-server on a free loopback port, or skips t when redis-server is
// not on PATH. The server is stopped when t ends, if the test has not stopped it.
func startServer(t *testing.T) *server {
	t.Helper()
	bin, err := exec.LookPath("redis-server")
	if err != nil {
		t.Skip("redis-server not on PATH: install it (Debian: apt-get install redis-server) to run the fail-closed tests")
	}
	port := freePort(t)
	return startServerOn(t, bin, port)
}

func startServerOn(t *testing.T, bin string, port int) *server {
	t.Helper()
	dir := t.TempDir()
	s := &server{addr: net.JoinHostPort("127.0.0.1", strconv.Itoa(port)), log: new(bytes.Buffer)}
	s.cmd = exec.Command(bin,
		"--bind", "127.0.0.1", "--port", strconv.Itoa(port),
		"--save", "", "--appendonly", "no", "--daemonize", "no",
		"--dir", dir, "--logfile", filepath.Join(dir, "redis.log"))
	s.cmd.Stdout, s.cmd.Stderr = s.log, s.log
	if err := s.cmd.Start(); err != nil {
		t.Fatalf("start redis-server: %v", err)
	}
	t.Cleanup(s.stop)
	// Wait for it to answer: bounded, 10 s at most.
	c := redis.NewClient(&redis.Options{Addr: s.addr, DisableIdentity: true, MaxRetries: -1})
	defer c.Close()
	deadline := time.Now().Add(10 * time.Second)
	for {
		err := c.Ping(context.Background()).Err()
		if err == nil {
			return s
		}
		if time.Now().After(deadline) {
			log, _ := os.ReadFile(filepath.Join(dir, "redis.log"))
			t.Fatalf("redis-server on %s did not answer: %v\n%s%s", s.addr, err, s.log, log)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// stop kills the server and waits for it to exit; it is safe to call twice.
func (s *server) stop() {
	if s.cmd.ProcessState != nil {
		return
	}
	s.cmd.Process.Kill()
	s.cmd.Wait()
}

// freePort asks the kernel for a free loopback TCP port.
func freePort(t *testing.T) int {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().(*net.TCPAddr).Port
}

// isUnavailable reports whether err is a proper fail-closed error.
func isUnavailable(err error) error {
	if err == nil {
		return errors.New("nil error")
	}
	if !errors.Is(err, ErrUnavailable) {
		return fmt.Errorf("error %v does not match ErrUnavailable", err)
	}
	return nil
}
