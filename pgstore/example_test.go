package pgstore_test

import (
	"context"
	"log"
	"os"

	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/trustid/trustid/pgstore"
	"github.com/trustid/trustid/store"
)

// Example sets up durable state for a deployment: one migration call, then the stores the
// core's Configs take. It needs a PostgreSQL server, so it is compiled but not run by go
// test (it has no Output comment); point TRUSTID_PG_DSN at a database to try it.
func Example() {
	ctx := context.Background()
	pool, err := pgxpool.New(ctx, os.Getenv("TRUSTID_PG_DSN"))
	if err != nil {
		log.Fatal(err)
	}
	defer pool.Close()
	if err := pgstore.Migrate(ctx, pool); err != nil { // idempotent, safe from every instance
		log.Fatal(err)
	}
	// Both keys come from the deployment's secret store, the same on every instance: the
	// index key never rotates; the sealing keys rotate newest first.
	s, err := pgstore.New(pgstore.Config{Pool: pool,
		IndexKey: []byte(os.Getenv("TRUSTID_INDEX_KEY")),
		Keys:     []store.Key{{ID: 2, Secret: []byte(os.Getenv("TRUSTID_CASE_KEY"))}}})
	if err != nil {
		log.Fatal(err)
	}
	cases, err := s.ReviewStore() // review.Config.Store
	if err != nil {
		log.Fatal(err)
	}
	_ = cases
	_ = s.WalletStore() // wallet.Config.Store, wrapped in wallet.NewSealedStore
	_ = s.AskedStore()  // quiz.Config.Asked
	// s itself is the store.ReplayGuard and store.AttemptStore of liveness, quiz,
	// qrtoken and review.
}
