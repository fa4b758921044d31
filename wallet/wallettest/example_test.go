package wallettest_test

import (
	"testing"

	"github.com/trustid/trustid/wallet"
	"github.com/trustid/trustid/wallet/wallettest"
)

// A host's database adapter for wallet.Store runs the conformance suite from its own
// tests; wrapping it in wallet.NewSealedStore must pass the same suite.
func ExampleStore() {
	// In the host's store_test.go:
	_ = func(t *testing.T) {
		wallettest.Store(t, func(t *testing.T) wallet.Store {
			return wallet.NewMemoryStore() // the host's own store here
		})
	}
}
