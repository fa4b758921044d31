package reviewtest

import (
	"context"
	"crypto/sha256"
	"slices"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/review"
)

// Checker returns an AutoChecker that always decides outcome o with the given reasons,
// for tests of a host's workflow without a registry.
func Checker(o verify.Outcome, reasons ...verify.Reason) review.AutoChecker {
	return review.AutoCheckFunc(func(context.Context, *review.Application, *verify.Decision) (verify.Decision, error) {
		return verify.Decision{Outcome: o, Level: verify.LevelRealName, Reasons: slices.Clone(reasons)}, nil
	})
}

// Material returns a deterministic material reference for tests: kind, the reference
// "test/<kind>" and the SHA-256 of kind as digest.
func Material(kind string) review.Material {
	return review.Material{Kind: kind, Ref: "test/" + kind, Digest: sha256.Sum256([]byte(kind))}
}
