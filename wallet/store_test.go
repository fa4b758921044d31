package wallet_test

import (
	"bytes"
	"testing"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/wallet"
	"github.com/trustid/trustid/wallet/wallettest"
)

func TestMemoryStoreConformance(t *testing.T) {
	wallettest.Store(t, func(t *testing.T) wallet.Store { return wallet.NewMemoryStore() })
}

func TestSealedStoreConformance(t *testing.T) {
	wallettest.Store(t, func(t *testing.T) wallet.Store {
		s, err := wallet.NewSealedStore(wallet.NewMemoryStore(),
			store.Key{ID: 7, Secret: bytes.Repeat([]byte{7}, 32)}, store.Key{ID: 6, Secret: bytes.Repeat([]byte{6}, 32)})
		if err != nil {
			t.Fatal(err)
		}
		return s
	})
}
