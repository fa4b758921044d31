package quiztest_test

import (
	"testing"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
)

// The suites must pass against the package's own in-memory defaults.
func TestMemoryDefaults(t *testing.T) {
	t.Run("AskedStore", func(t *testing.T) {
		quiztest.AskedStore(t, func(*testing.T) quiz.AskedStore { return quiz.NewMemoryAskedStore() })
	})
	t.Run("AskedStoreDifferential", func(t *testing.T) {
		quiztest.AskedStoreDifferential(t, quiz.NewMemoryAskedStore())
	})
	t.Run("DistractorSource", func(t *testing.T) {
		src := quiz.NewMemoryDistractors(map[quiz.Category][]string{
			quiz.CategoryVehiclePlate: {"京A12345", "京C24680", "京E13579", "京F11223", "京G98765", "京a1234"},
		})
		quiztest.DistractorSource(t, src, quiz.CategoryVehiclePlate, "京A12345")
	})
}
