package pgstore

import (
	"context"
	"errors"
	"fmt"
	"slices"

	"github.com/jackc/pgx/v5"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/wallet"
)

// WalletStore is a wallet.Store (and wallet.HolderLister) kept in PostgreSQL. Make one
// with [Store.WalletStore] and wrap it with wallet.NewSealedStore, so that Data (every
// personal field of a wallet) reaches the database sealed: the table holds the holder
// key, the version, the index keys (HMACs under the wallet's index key, as the wallet
// hands them over) and Data as given. It is safe for concurrent use.
//
// Save is one statement: the compare-and-save of the record (insert when Version is 0,
// update where the stored version equals Version) and the index changes run together
// or not at all, so a record and its index never disagree, even when the server dies
// mid-write.
type WalletStore struct {
	s *Store
}

var (
	_ wallet.Store        = (*WalletStore)(nil)
	_ wallet.HolderLister = (*WalletStore)(nil)
)

// WalletStore returns the wallet.Store of s.
func (s *Store) WalletStore() *WalletStore { return &WalletStore{s: s} }

// Load implements wallet.Store. An unknown holder is an error matching
// wallet.ErrNotFound; other errors wrap [ErrUnavailable].
func (w *WalletStore) Load(ctx context.Context, holder string) (wallet.StoredWallet, error) {
	if err := w.s.check(); err != nil {
		return wallet.StoredWallet{}, err
	}
	rec := wallet.StoredWallet{Holder: holder}
	var version int64
	err := w.s.pool.QueryRow(ctx, `SELECT version, index, data FROM trustid_wallets WHERE holder = $1`, holder).
		Scan(&version, &rec.Index, &rec.Data)
	if errors.Is(err, pgx.ErrNoRows) {
		return wallet.StoredWallet{}, fmt.Errorf("pgstore: wallet: %w", wallet.ErrNotFound)
	}
	if err != nil {
		return wallet.StoredWallet{}, wrap("wallet load", err)
	}
	rec.Version = uint64(version)
	if len(rec.Index) == 0 {
		rec.Index = nil
	}
	if len(rec.Data) == 0 {
		rec.Data = nil
	}
	return rec, nil
}

// The record write and the index changes in one statement. $1 holder, $2 version read,
// $3 index keys (sorted, distinct: upserts lock index rows in one order, so two saves
// never deadlock on them), $4 data, $5 the record's index as given. The index steps run
// only when the record was written.
const (
	walletInsert = `WITH w AS (
	INSERT INTO trustid_wallets (holder, version, index, data) VALUES ($1, $2::bigint + 1, $5, $4)
	ON CONFLICT (holder) DO NOTHING RETURNING version)`
	walletUpdate = `WITH w AS (
	UPDATE trustid_wallets SET version = version + 1, index = $5, data = $4
	WHERE holder = $1 AND version = $2 RETURNING version)`
	walletIndex = `,
d AS (DELETE FROM trustid_wallet_index i WHERE i.holder = $1 AND i.key <> ALL ($3::text[]) AND EXISTS (SELECT 1 FROM w)),
x AS (INSERT INTO trustid_wallet_index (key, holder) SELECT k, $1 FROM unnest($3::text[]) AS k WHERE EXISTS (SELECT 1 FROM w)
	ON CONFLICT (key) DO UPDATE SET holder = excluded.holder)
SELECT version FROM w`
)

// Save implements wallet.Store. A stale Version (or 0 for a holder that exists, or a
// Version for one that does not) is an error matching store.ErrConflict and writes
// nothing; other errors wrap [ErrUnavailable] and write nothing.
func (w *WalletStore) Save(ctx context.Context, rec wallet.StoredWallet) (uint64, error) {
	if err := w.s.check(); err != nil {
		return 0, err
	}
	if rec.Holder == "" {
		return 0, fmt.Errorf("pgstore: wallet save: a holder key is required: %w", store.ErrInvalidArgument)
	}
	if rec.Version > 1<<62 {
		return 0, fmt.Errorf("pgstore: wallet save: %w", store.ErrConflict)
	}
	index := slices.Compact(slices.Sorted(slices.Values(rec.Index)))
	if index == nil {
		index = []string{}
	}
	data := rec.Data
	if data == nil {
		data = []byte{}
	}
	q := walletUpdate + walletIndex
	if rec.Version == 0 {
		q = walletInsert + walletIndex
	}
	stored := rec.Index
	if stored == nil {
		stored = []string{}
	}
	var version int64
	err := w.s.pool.QueryRow(ctx, q, rec.Holder, int64(rec.Version), index, data, stored).Scan(&version)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, fmt.Errorf("pgstore: wallet save: %w", store.ErrConflict)
	}
	if err != nil {
		return 0, wrap("wallet save", err)
	}
	return uint64(version), nil
}

// Lookup implements wallet.Store: the holder indexed under key, or an error matching
// wallet.ErrNotFound.
func (w *WalletStore) Lookup(ctx context.Context, key string) (string, error) {
	if err := w.s.check(); err != nil {
		return "", err
	}
	var holder string
	err := w.s.pool.QueryRow(ctx, `SELECT holder FROM trustid_wallet_index WHERE key = $1`, key).Scan(&holder)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", fmt.Errorf("pgstore: wallet index: %w", wallet.ErrNotFound)
	}
	if err != nil {
		return "", wrap("wallet lookup", err)
	}
	return holder, nil
}

// Holders implements wallet.HolderLister: every holder key, sorted, for
// wallet.SealedStore.RotateAll.
func (w *WalletStore) Holders(ctx context.Context) ([]string, error) {
	if err := w.s.check(); err != nil {
		return nil, err
	}
	rows, err := w.s.pool.Query(ctx, `SELECT holder FROM trustid_wallets ORDER BY holder COLLATE "C"`)
	if err != nil {
		return nil, wrap("wallet holders", err)
	}
	hs, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, wrap("wallet holders", err)
	}
	return hs, nil
}
