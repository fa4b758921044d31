package pgstore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"net/url"
	"os"
	"testing"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trustid/trustid/store"
)

// testIndexKey and testKeys are fixed test secrets (the ASCII bytes below, nothing more).
var (
	testIndexKey = []byte("trustid pgstore test index key!!")
	testKeys     = []store.Key{{ID: 7, Secret: []byte("trustid pgstore test case key #7")}}
)

// pgDSN returns the DSN of the disposable cluster the tests may use, or skips t. Only a
// loopback host is accepted: the tests create and drop schemas and load the server.
func pgDSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv("TRUSTID_PG_DSN")
	if dsn == "" {
		t.Skip("TRUSTID_PG_DSN not set: set it to a disposable loopback PostgreSQL database (postgres://user@127.0.0.1:port/db) to run the PostgreSQL tests; .ci/pg-tests starts one")
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("TRUSTID_PG_DSN does not parse: %v", err)
	}
	host := u.Hostname()
	if ip := net.ParseIP(host); host != "localhost" && (ip == nil || !ip.IsLoopback()) {
		t.Fatalf("TRUSTID_PG_DSN host %q is not a loopback address; the tests only talk to a local server", host)
	}
	return dsn
}

// newSchema creates an empty schema for t and returns its name; it is dropped when t
// ends.
func newSchema(t testing.TB) string {
	t.Helper()
	dsn := pgDSN(t)
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	ctx := context.Background()
	admin, err := pxpool(ctx, dsn, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := admin.Exec(ctx, "CREATE SCHEMA "+schema); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.Exec(ctx, "DROP SCHEMA "+schema+" CASCADE"); err != nil {
			t.Errorf("dropping schema %s: %v", schema, err)
		}
		admin.Close()
	})
	return schema
}

// pxpool opens a pool on dsn whose connections use schema (when not empty).
func pxpool(ctx context.Context, dsn, schema string) (*pgxpool.Pool, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		return nil, err
	}
	if schema != "" {
		cfg.ConnConfig.RuntimeParams["search_path"] = schema
	}
	cfg.MaxConns = 16
	return pgxpool.NewWithConfig(ctx, cfg)
}

// newPool returns a pool on schema, closed when t ends.
func newPool(t testing.TB, schema string) *pgxpool.Pool {
	t.Helper()
	p, err := pxpool(context.Background(), pgDSN(t), schema)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p
}

// newStore returns a Store on a fresh, migrated schema, and its pool.
func newStore(t testing.TB) (*Store, *pgxpool.Pool) {
	t.Helper()
	schema := newSchema(t)
	pool := newPool(t, schema)
	if err := Migrate(context.Background(), pool); err != nil {
		t.Fatalf("Migrate error = %v", err)
	}
	s, err := New(Config{Pool: pool, IndexKey: testIndexKey, Keys: testKeys})
	if err != nil {
		t.Fatal(err)
	}
	return s, pool
}
