package verifytest_test

import (
	"fmt"
	"testing"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/verifytest"
)

func TestRegistryMemory(t *testing.T) {
	verifytest.Registry(t, func(t *testing.T, records []verify.Record) verify.Registry {
		reg, err := verify.NewMemoryRegistry(records...)
		if err != nil {
			t.Fatal(err)
		}
		return reg
	})
}

// The suite's records cover every status; a host loads them into its test backend.
func ExampleRecords() {
	count := map[verify.Status]int{}
	for _, r := range verifytest.Records() {
		count[r.Status]++
	}
	for _, s := range []verify.Status{verify.StatusValid, verify.StatusExpired, verify.StatusReportedLost, verify.StatusRevoked} {
		fmt.Println(s, count[s])
	}
	// Output:
	// valid 5
	// expired 1
	// reported-lost 1
	// revoked 1
}
