package biometrics_test

import (
	"fmt"
	"log"

	"github.com/trustid/trustid/liveness/biometrics"
)

// A matcher's error rates at one threshold, from five genuine (same person) and five
// impostor comparison scores: one genuine score falls below 0.6 and one impostor score
// reaches it.
func ExampleVerification_At() {
	v, err := biometrics.NewVerification(
		[]float64{0.91, 0.88, 0.75, 0.66, 0.52},
		[]float64{0.10, 0.22, 0.31, 0.45, 0.61},
	)
	if err != nil {
		log.Fatal(err)
	}
	r, err := v.At(0.6)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("FMR %.1f (%d of %d), FNMR %.1f (%d of %d), meets SP 800-63A-4 §3.11: %t\n",
		r.FMR, r.FalseMatches, r.Impostor, r.FNMR, r.FalseNonMatches, r.Genuine, r.Meets())
	// Output: FMR 0.2 (1 of 5), FNMR 0.2 (1 of 5), meets SP 800-63A-4 §3.11: false
}
