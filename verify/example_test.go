package verify_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"log"
	"os"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
)

// livenessResult stands in for *liveness.Result in this example: a session begun for the
// document check (its subject, check ID and photo) and passed.
type livenessResult struct{ doc *verify.DocumentResult }

func (r livenessResult) Subject() string        { return r.doc.Subject }
func (r livenessResult) CheckID() string        { return r.doc.CheckID }
func (r livenessResult) PhotoRef() string       { return r.doc.PhotoRef }
func (r livenessResult) CompletedAt() time.Time { return r.doc.CheckedAt }
func (r livenessResult) LivenessPassed() bool   { return true }
func (r livenessResult) FaceMatchPassed() bool  { return true }

// Check a claimed identity against the synthetic in-memory registry, then decide with
// the real-person evidence: the second applicant typed the name without its middle dot
// and is sent to review; the third presents a revoked card and is told why.
func Example() {
	f, err := os.Open("testdata/registry.json")
	if err != nil {
		log.Fatal(err)
	}
	defer f.Close()
	reg, err := verify.LoadRegistry(f)
	if err != nil {
		log.Fatal(err)
	}
	// The subject key comes from the deployment's secret store, the same on every
	// instance; a fresh random key serves one process.
	subjectKey := make([]byte, 32)
	rand.Read(subjectKey)
	sealKey := make([]byte, 32)
	rand.Read(sealKey)
	checker, err := verify.New(verify.Config{
		Registry:   reg,
		SubjectKey: subjectKey,
		Keys:       []store.Key{{ID: 1, Secret: sealKey}},
		Policy:     verify.Policy{Required: verify.LevelRealPerson},
		Now:        func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) },
	})
	if err != nil {
		log.Fatal(err)
	}

	for _, claim := range []verify.Claim{
		{Kind: verify.KindIDCard, Number: "110105199003071239", Name: "张伟"},
		{Kind: verify.KindIDCard, Number: "650102199506120027", Name: "阿依古丽买买提"},
		{Kind: verify.KindIDCard, Number: "510107198510100113", Name: "赵磊"},
	} {
		doc, err := checker.CheckDocument(context.Background(), claim)
		if err != nil {
			log.Fatal(err) // registry failure: retry later, never "no match"
		}
		// The host runs the liveness check bound to doc.Subject and doc.PhotoRef.
		d := checker.Decide(doc, livenessResult{doc: doc}, nil)
		fmt.Println(claim.Number[:6]+"…", d)
		for _, r := range d.Reasons {
			if !r.Success() {
				fmt.Println("  ", r, "—", r.Message("zh"), "/", r.Message("en"))
			}
		}
	}
	// Output:
	// 110105… pass level=real-person required=real-person reasons=[real_name_verified real_person_verified]
	// 650102… review level=real-person required=real-person reasons=[real_name_verified name_lenient_match real_person_verified]
	//    name_lenient_match — 姓名仅在宽松比对后一致，需要人工审核。 / The name matches only after lenient comparison; manual review is needed.
	// 510107… fail level=none required=real-person reasons=[document_revoked level_not_reached]
	//    document_revoked — 证件已注销或作废。 / The document has been revoked.
	//    level_not_reached — 未达到所要求的认证等级。 / The required assurance level was not reached.
}

// Match names the way the document check does.
func ExampleMatchLatinName() {
	fmt.Println(verify.MatchLatinName("MUELLER ANNA", "MÜLLER<<ANNA"))
	fmt.Println(verify.MatchLatinName("MULLER ANNA", "MÜLLER<<ANNA"))
	fmt.Println(verify.MatchName("阿依古丽•买买提", "阿依古丽·买买提"))
	fmt.Println(verify.MatchName("阿依古丽买买提", "阿依古丽·买买提"))
	// Output:
	// match
	// match
	// match
	// lenient-match
}
