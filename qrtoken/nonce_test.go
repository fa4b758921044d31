package qrtoken

import (
	"sync"
	"testing"
)

// TestConcurrentIssueNoncesUnique is the attack of issue 13: with a random source that is
// not safe for concurrent use (a shared *rand.ChaCha8 as IssuerConfig.Rand), eight
// goroutines issuing 160,000 codes repeated hundreds of nonces under one key, purpose and
// window, and the XOR of two such codes gave away another person's name. Nonces now come
// from crypto/rand only. Every code here shares key, purpose and window, so any repeated
// nonce is a keystream reuse.
func TestConcurrentIssueNoncesUnique(t *testing.T) {
	const goroutines = 8
	perGoroutine := 20000
	if raceEnabled || testing.Short() {
		perGoroutine = 2000
	}
	e := newEnv(t) // a fixed issuer clock: one window
	nonces := make([][][onlineNonceLen]byte, goroutines)
	var wg sync.WaitGroup
	for g := range goroutines {
		wg.Go(func() {
			mine := make([][onlineNonceLen]byte, 0, perGoroutine)
			for range perGoroutine {
				code, err := e.issuer.Issue(t.Context(), cafeClaims(), PurposeInternetCafe())
				if err != nil {
					t.Error(err)
					return
				}
				if code.Window.Number != windowNumber(t0, DefaultWindow) {
					t.Errorf("code of window %d, want %d", code.Window.Number, windowNumber(t0, DefaultWindow))
					return
				}
				b, err := DecodeBase45(code.Text())
				if err != nil {
					t.Error(err)
					return
				}
				mine = append(mine, [onlineNonceLen]byte(b[onlineHeaderLen:]))
			}
			nonces[g] = mine
		})
	}
	wg.Wait()
	seen := make(map[[onlineNonceLen]byte]bool, goroutines*perGoroutine)
	repeats := 0
	for _, mine := range nonces {
		for _, n := range mine {
			if seen[n] {
				repeats++
			}
			seen[n] = true
		}
	}
	if repeats > 0 || len(seen) != goroutines*perGoroutine {
		t.Fatalf("%d codes from %d goroutines under one key, purpose and window: %d repeated nonces", goroutines*perGoroutine, goroutines, repeats)
	}
}
