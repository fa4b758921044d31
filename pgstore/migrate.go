package pgstore

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strconv"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/trustid/trustid/store"
)

//go:embed migrations/*.sql
var migrations embed.FS

// migrateLock is the pg_advisory_xact_lock key every Migrate takes: the first 8 bytes of
// "trustid\x01" read as a big-endian integer.
const migrateLock int64 = 0x7472757374696401

// migration is one embedded schema change: version n comes from the file
// migrations/NNNN_title.sql.
type migration struct {
	version int
	title   string
	sql     string
}

// migrationList returns the embedded migrations in version order.
func migrationList() ([]migration, error) {
	ents, err := fs.ReadDir(migrations, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range ents {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("pgstore: migration file %q is not named NNNN_name.sql", e.Name())
		}
		b, err := migrations.ReadFile(path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, title: name, sql: string(b)})
	}
	slices.SortFunc(ms, func(a, b migration) int { return a.version - b.version })
	for i := 1; i < len(ms); i++ {
		if ms[i].version == ms[i-1].version {
			return nil, fmt.Errorf("pgstore: two migrations numbered %d", ms[i].version)
		}
	}
	return ms, nil
}

// Migrate brings the schema in the pool's search_path up to date: it applies, in one
// transaction, every embedded migration not yet recorded in the table
// trustid_schema_migrations (version, name, applied_at), and records it. It is
// idempotent, and safe to run from several servers at once: the transaction first takes
// a transaction-scoped advisory lock (pg_advisory_xact_lock), so concurrent Migrates run
// one after another and the later ones find nothing to do. A failed migration rolls
// everything back. A database whose schema is newer than this package (a version it
// does not know) is refused with an error, and left unchanged.
//
// The role needs the right to create tables and functions in the schema.
func Migrate(ctx context.Context, pool *pgxpool.Pool) error {
	if pool == nil {
		return fmt.Errorf("pgstore: Migrate needs a pool: %w", store.ErrInvalidArgument)
	}
	ms, err := migrationList()
	if err != nil {
		return err
	}
	err = pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock($1)`, migrateLock); err != nil {
			return wrap("migrate", err)
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS trustid_schema_migrations (
	version    integer     PRIMARY KEY,
	name       text        NOT NULL,
	applied_at timestamptz NOT NULL DEFAULT now()
)`); err != nil {
			return wrap("migrate", err)
		}
		rows, err := tx.Query(ctx, `SELECT version FROM trustid_schema_migrations`)
		if err != nil {
			return wrap("migrate", err)
		}
		applied, err := pgx.CollectRows(rows, pgx.RowTo[int32])
		if err != nil {
			return wrap("migrate", err)
		}
		for _, v := range applied {
			if !slices.ContainsFunc(ms, func(m migration) bool { return m.version == int(v) }) {
				return fmt.Errorf("%w: the database has schema version %d, which this pgstore does not know: upgrade pgstore", errNewerSchema, v)
			}
		}
		for _, m := range ms {
			if slices.Contains(applied, int32(m.version)) {
				continue
			}
			if _, err := tx.Exec(ctx, m.sql); err != nil {
				return fmt.Errorf("pgstore: migration %d (%s): %w", m.version, m.title, wrap("migrate", err))
			}
			if _, err := tx.Exec(ctx, `INSERT INTO trustid_schema_migrations (version, name) VALUES ($1, $2)`, m.version, m.title); err != nil {
				return wrap("migrate", err)
			}
		}
		return nil
	})
	if err != nil && !errors.Is(err, ErrUnavailable) && !errors.Is(err, errNewerSchema) {
		return wrap("migrate", err)
	}
	return err
}

// errNewerSchema: the database was migrated by a newer pgstore.
var errNewerSchema = errors.New("pgstore: schema newer than this package")
