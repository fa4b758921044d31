// Package wallettest is the conformance suite for wallet.Store implementations. A host's
// adapter (a database, a key-value store) runs it from its own tests:
//
//	func TestStore(t *testing.T) {
//		wallettest.Store(t, func(t *testing.T) wallet.Store { return newMyStore(t) })
//	}
//
// newStore must return an empty store each time it is called. The suite checks the
// contract documented on wallet.Store: not-found errors, versions (the version read + 1)
// and their atomic compare-and-save, a stale save matching store.ErrConflict (also under
// many goroutines), the index, and that records are values.
package wallettest

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/wallet"
)

// Store runs the conformance suite against the stores newStore returns.
func Store(t *testing.T, newStore func(t *testing.T) wallet.Store) {
	t.Helper()
	ctx := context.Background()
	sortIndex := cmpopts.SortSlices(func(a, b string) bool { return a < b })

	t.Run("LoadMissing", func(t *testing.T) {
		s := newStore(t)
		if _, err := s.Load(ctx, "no-such-holder"); !errors.Is(err, wallet.ErrNotFound) {
			t.Fatalf("Load(missing) error = %v, want ErrNotFound", err)
		}
		if _, err := s.Lookup(ctx, "c:no-such-key"); !errors.Is(err, wallet.ErrNotFound) {
			t.Fatalf("Lookup(missing) error = %v, want ErrNotFound", err)
		}
	})

	t.Run("CreateLoadRoundTrip", func(t *testing.T) {
		s := newStore(t)
		data := []byte("{\"x\":\"\x00\xff binary \u00e9\"}")
		rec := wallet.StoredWallet{Holder: "h1", Index: []string{"c:a", "c:b", "p:c"}, Data: data}
		v, err := s.Save(ctx, rec)
		if err != nil {
			t.Fatalf("Save(new) error = %v", err)
		}
		if v != 1 {
			t.Fatalf("Save(new) version = %d, want 1", v)
		}
		got, err := s.Load(ctx, "h1")
		if err != nil {
			t.Fatalf("Load error = %v", err)
		}
		want := rec
		want.Version = v
		if diff := cmp.Diff(want, got, sortIndex); diff != "" {
			t.Errorf("Load(h1) mismatch (-want +got):\n%s", diff)
		}
		for _, k := range rec.Index {
			h, err := s.Lookup(ctx, k)
			if err != nil || h != "h1" {
				t.Errorf("Lookup(%q) = %q, %v; want h1, nil", k, h, err)
			}
		}
	})

	t.Run("EmptyData", func(t *testing.T) {
		s := newStore(t)
		v, err := s.Save(ctx, wallet.StoredWallet{Holder: "h-empty"})
		if err != nil {
			t.Fatalf("Save error = %v", err)
		}
		got, err := s.Load(ctx, "h-empty")
		if err != nil || got.Version != v || len(got.Data) != 0 || len(got.Index) != 0 {
			t.Errorf("Load = %+v, %v; want version %d, no data, no index", got, err, v)
		}
	})

	t.Run("VersionConflicts", func(t *testing.T) {
		s := newStore(t)
		v1, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Data: []byte("one")})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Data: []byte("again")}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("Save(version 0 over existing) error = %v, want store.ErrConflict", err)
		}
		v2, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Version: v1, Data: []byte("two")})
		if err != nil {
			t.Fatalf("Save(current version) error = %v", err)
		}
		if v2 != v1+1 {
			t.Errorf("versions %d then %d, want the version read + 1", v1, v2)
		}
		for _, stale := range []uint64{v1, v2 + 1, v2 + 100} {
			if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Version: stale, Data: []byte("stale")}); !errors.Is(err, store.ErrConflict) {
				t.Errorf("Save(version %d, stored %d) error = %v, want store.ErrConflict", stale, v2, err)
			}
		}
		if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "never-saved", Version: 1, Data: []byte("x")}); !errors.Is(err, store.ErrConflict) {
			t.Errorf("Save(version 1 of a missing record) error = %v, want store.ErrConflict", err)
		}
		got, err := s.Load(ctx, "h")
		if err != nil || string(got.Data) != "two" || got.Version != v2 {
			t.Errorf("after conflicts Load = %q v%d, %v; want \"two\" v%d", got.Data, got.Version, err, v2)
		}
		if _, err := s.Load(ctx, "never-saved"); !errors.Is(err, wallet.ErrNotFound) {
			t.Errorf("refused Save created a record: Load error = %v", err)
		}
	})

	t.Run("IndexFollowsRecord", func(t *testing.T) {
		s := newStore(t)
		v, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Index: []string{"c:keep", "c:drop"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Version: v, Index: []string{"c:keep", "c:new"}}); err != nil {
			t.Fatal(err)
		}
		for k, want := range map[string]bool{"c:keep": true, "c:new": true, "c:drop": false} {
			h, err := s.Lookup(ctx, k)
			switch {
			case want && (err != nil || h != "h"):
				t.Errorf("Lookup(%q) = %q, %v; want h", k, h, err)
			case !want && !errors.Is(err, wallet.ErrNotFound):
				t.Errorf("Lookup(dropped %q) = %q, %v; want ErrNotFound", k, h, err)
			}
		}
		// A refused save does not touch the index.
		if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Version: v, Index: []string{"c:sneaky"}}); !errors.Is(err, store.ErrConflict) {
			t.Fatalf("stale Save error = %v, want store.ErrConflict", err)
		}
		if _, err := s.Lookup(ctx, "c:sneaky"); !errors.Is(err, wallet.ErrNotFound) {
			t.Errorf("refused Save indexed its key: Lookup error = %v", err)
		}
	})

	t.Run("IndexKeyLastWriterWins", func(t *testing.T) {
		s := newStore(t)
		va, err := s.Save(ctx, wallet.StoredWallet{Holder: "a", Index: []string{"c:shared", "c:a"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "b", Index: []string{"c:shared"}}); err != nil {
			t.Fatal(err)
		}
		if h, err := s.Lookup(ctx, "c:shared"); err != nil || h != "b" {
			t.Errorf("Lookup(shared) = %q, %v; want b (saved last)", h, err)
		}
		// a drops the key it no longer owns: b keeps it.
		if _, err := s.Save(ctx, wallet.StoredWallet{Holder: "a", Version: va, Index: []string{"c:a"}}); err != nil {
			t.Fatal(err)
		}
		if h, err := s.Lookup(ctx, "c:shared"); err != nil || h != "b" {
			t.Errorf("after a dropped it, Lookup(shared) = %q, %v; want b", h, err)
		}
	})

	t.Run("RecordsAreValues", func(t *testing.T) {
		s := newStore(t)
		rec := wallet.StoredWallet{Holder: "h", Index: []string{"c:x"}, Data: []byte("original")}
		v, err := s.Save(ctx, rec)
		if err != nil {
			t.Fatal(err)
		}
		rec.Data[0] = 'X'
		rec.Index[0] = "c:mutated"
		got, err := s.Load(ctx, "h")
		if err != nil {
			t.Fatal(err)
		}
		if string(got.Data) != "original" || got.Index[0] != "c:x" {
			t.Errorf("store kept the caller's slices: got %q %q", got.Data, got.Index)
		}
		got.Data[0] = 'Y'
		got.Index[0] = "c:mutated2"
		again, err := s.Load(ctx, "h")
		if err != nil || string(again.Data) != "original" || again.Index[0] != "c:x" || again.Version != v {
			t.Errorf("store returned its own slices: got %q %q, %v", again.Data, again.Index, err)
		}
	})

	t.Run("HoldersIndependent", func(t *testing.T) {
		s := newStore(t)
		for i := range 5 {
			if _, err := s.Save(ctx, wallet.StoredWallet{Holder: fmt.Sprint("h", i), Data: []byte{byte(i)}}); err != nil {
				t.Fatal(err)
			}
		}
		for i := range 5 {
			got, err := s.Load(ctx, fmt.Sprint("h", i))
			if err != nil || !bytes.Equal(got.Data, []byte{byte(i)}) {
				t.Errorf("Load(h%d) = %v, %v", i, got.Data, err)
			}
		}
	})

	t.Run("ConcurrentSameVersionOneWins", func(t *testing.T) {
		s := newStore(t)
		v, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Data: []byte("base")})
		if err != nil {
			t.Fatal(err)
		}
		const n = 32
		var wins, conflicts atomic.Int32
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				_, err := s.Save(ctx, wallet.StoredWallet{Holder: "h", Version: v, Data: []byte(fmt.Sprint("writer", i))})
				switch {
				case err == nil:
					wins.Add(1)
				case errors.Is(err, store.ErrConflict):
					conflicts.Add(1)
				default:
					t.Errorf("Save error = %v", err)
				}
			})
		}
		wg.Wait()
		if wins.Load() != 1 || conflicts.Load() != n-1 {
			t.Errorf("%d saves at one version: %d won, %d conflicted; want 1 and %d", n, wins.Load(), conflicts.Load(), n-1)
		}
	})

	t.Run("ConcurrentNoLostUpdates", func(t *testing.T) {
		s := newStore(t)
		const n = 24
		var wg sync.WaitGroup
		for i := range n {
			wg.Go(func() {
				for {
					rec, err := s.Load(ctx, "counter")
					if err != nil && !errors.Is(err, wallet.ErrNotFound) {
						t.Errorf("Load error = %v", err)
						return
					}
					rec.Holder = "counter"
					rec.Data = append(rec.Data, byte('a'+i%26))
					rec.Index = append(rec.Index, fmt.Sprint("c:k", i))
					_, err = s.Save(ctx, rec)
					if errors.Is(err, store.ErrConflict) {
						continue
					}
					if err != nil {
						t.Errorf("Save error = %v", err)
					}
					return
				}
			})
		}
		wg.Wait()
		got, err := s.Load(ctx, "counter")
		if err != nil {
			t.Fatal(err)
		}
		if len(got.Data) != n || len(got.Index) != n {
			t.Errorf("after %d concurrent read-modify-writes: %d bytes, %d index keys; want %d (lost update)", n, len(got.Data), len(got.Index), n)
		}
		for i := range n {
			if h, err := s.Lookup(ctx, fmt.Sprint("c:k", i)); err != nil || h != "counter" {
				t.Errorf("Lookup(c:k%d) = %q, %v", i, h, err)
			}
		}
	})

	t.Run("CanceledContext", func(t *testing.T) {
		s := newStore(t)
		cctx, cancel := context.WithCancel(ctx)
		cancel()
		if _, err := s.Save(cctx, wallet.StoredWallet{Holder: "h", Data: []byte("x")}); err == nil {
			// A store may finish a save it started; it must not report success and
			// then lose it.
			if _, lerr := s.Load(ctx, "h"); lerr != nil {
				t.Errorf("Save with canceled context succeeded but Load fails: %v", lerr)
			}
		}
	})
}
