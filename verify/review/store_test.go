package review_test

import (
	"testing"

	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/verify/review/reviewtest"
)

func TestMemoryStoreConformance(t *testing.T) {
	reviewtest.Store(t, func(t *testing.T) review.Store { return review.NewMemoryStore() })
}
