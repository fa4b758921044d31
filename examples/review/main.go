package main

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/verify/review"
	"github.com/trustid/trustid/wallet"
)

func main() {
	interactive := flag.Bool("i", false, "interactive desk: read commands from stdin (type help)")
	flag.Parse()
	if err := run(os.Stdout, config{Interactive: *interactive, In: os.Stdin}); err != nil {
		fmt.Fprintln(os.Stderr, "review:", err)
		os.Exit(1)
	}
}

// config tunes a run. The zero value runs the scripted demo from the current time with
// crypto/rand.
type config struct {
	// Start is the simulated time the desk starts at; zero: time.Now().
	Start time.Time
	// Rand is the source of synthetic ID numbers; nil: crypto/rand. Case IDs and the
	// checkpoint signing key always come from crypto/rand.
	Rand io.Reader
	// Interactive reads commands from In instead of running the script.
	Interactive bool
	In          io.Reader
}

// clock is the injected clock of the desk; the demo moves it forward instead of waiting.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// applicant is a synthetic applicant. ref is the opaque account reference the desk
// knows them by; the name and number are the claimed identity (printed masked only).
type applicant struct {
	ref      string
	identity review.Identity
	// decision is what the host's automatic checks (the verify pipeline) return for
	// this applicant's next application.
	decision verify.Decision
}

// demo is the review desk with its simulated surroundings.
type demo struct {
	ctx     context.Context
	w       io.Writer
	clock   *clock
	desk    *review.Desk
	people  map[string]*applicant
	order   []string  // applicant refs in the order they were added
	cases   []string  // case IDs; the demo calls them #1, #2, ... in creation order
	rand    io.Reader // synthetic ID numbers
	signKey ed25519.PrivateKey
	// checkpoints are the signed audit heads kept outside the store (here: in memory).
	checkpoints map[string]review.Checkpoint
	failed      []string
	// verifier is the host's verify pipeline of section 6, over registry.
	verifier *verify.Checker
	registry *verify.MemoryRegistry
}

// Application limit and cool-off of the demo desk (small, so that the demo hits them).
var (
	applicationLimit = store.AttemptRule{Limit: 2, Window: 24 * time.Hour}
	rejectCooloff    = 24 * time.Hour
)

// reviewers of the demo desk: r-zhou declared a conflict of interest with acct-1001 (a
// relative), r-sun works part-time and takes one case at a time.
var reviewers = []review.Reviewer{
	{ID: "r-liu", Capacity: 3},
	{ID: "r-sun", Capacity: 1},
	{ID: "r-zhou", Capacity: 3, Conflicts: []string{"acct-1001"}},
}

func newDemo(w io.Writer, cfg config) (*demo, error) {
	if cfg.Start.IsZero() {
		cfg.Start = time.Now()
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.Reader
	}
	_, sk, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, fmt.Errorf("checkpoint key: %w", err)
	}
	d := &demo{ctx: context.Background(), w: w, clock: &clock{now: cfg.Start.UTC()},
		people: map[string]*applicant{}, rand: cfg.Rand, signKey: sk, checkpoints: map[string]review.Checkpoint{}}

	// The console notifier: what would go out by SMS or email. Notices carry the case ID,
	// reason messages and dates only; the host looks up the contact by the reference.
	notifier := review.NotifierFunc(func(_ context.Context, n review.Notice) error {
		fmt.Fprintf(w, "    ✉ to %s [%s] %s / %s\n", n.Applicant, n.Kind, n.Title.ZH, n.Title.EN)
		fmt.Fprintf(w, "        %s\n        %s\n", n.Body.ZH, n.Body.EN)
		return nil
	})
	// The host's automatic checks: in a real desk the verify pipeline (document check,
	// liveness, quiz); here a scripted decision per applicant.
	// An application that carries its journey's decision is checked on that decision.
	checker := review.AutoCheckFunc(func(_ context.Context, app *review.Application, journey *verify.Decision) (verify.Decision, error) {
		if journey != nil {
			return *journey, nil
		}
		a, ok := d.people[app.Applicant]
		if !ok {
			return verify.Decision{}, fmt.Errorf("no scripted decision for applicant %s", app.Applicant)
		}
		dec := a.decision
		dec.Reasons = append([]verify.Reason(nil), dec.Reasons...)
		dec.DecidedAt = d.clock.Now()
		return dec, nil
	})
	// The verify pipeline of section 6 and the keys of the journey decisions. Keys come
	// from the deployment's secret store; fresh random ones serve one process.
	d.registry, _ = verify.NewMemoryRegistry()
	d.verifier, err = verify.New(verify.Config{Registry: d.registry, Now: d.clock.Now, SubjectKey: randomKey(),
		Keys: []store.Key{{ID: 1, Secret: randomKey()}}, Policy: verify.Policy{Required: verify.LevelRealPerson}})
	if err != nil {
		return nil, err
	}
	d.desk, err = review.New(review.Config{
		Decisions:        d.verifier.Decisions(),
		Keys:             []store.Key{{ID: 1, Secret: randomKey()}},
		ApplicationLimit: applicationLimit,
		RejectCooloff:    rejectCooloff,
		Checker:          checker,
		AutoApprove:      true,
		AutoReject:       true,
		Reviewers:        reviewers,
		Notifier:         notifier,
		Now:              d.clock.Now,
	})
	if err != nil {
		return nil, err
	}
	// Synthetic applicants: checksum-valid random numbers with chosen regions.
	for _, p := range []struct {
		ref, name, region string
		dec               verify.Decision
	}{
		{"acct-1001", "王建国", "110105", decision(verify.OutcomeReview, verify.LevelRealName, verify.ReasonNameLenientMatch)},
		{"acct-1002", "李秀英", "310104", decision(verify.OutcomePass, verify.LevelRealPerson, verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified)},
		{"acct-1003", "陈志强", "440106", decision(verify.OutcomeFail, verify.LevelNone, verify.ReasonDocumentExpired)},
		{"acct-1004", "赵丽娜", "510107", decision(verify.OutcomeReview, verify.LevelRealName, verify.ReasonDocumentReportedLost)},
		{"acct-1005", "张伟", "330106", decision(verify.OutcomeReview, verify.LevelRealName, verify.ReasonFaceMatchFailed)},
	} {
		num, err := idcard.Generate(cfg.Rand, idcard.GenOptions{Region: p.region})
		if err != nil {
			return nil, fmt.Errorf("synthetic ID number: %w", err)
		}
		d.addApplicant(p.ref, p.name, num, p.dec)
	}
	return d, nil
}

func randomKey() []byte {
	k := make([]byte, 32)
	_, _ = rand.Read(k)
	return k
}

func decision(o verify.Outcome, l verify.Level, rs ...verify.Reason) verify.Decision {
	return verify.Decision{Outcome: o, Level: l, Required: verify.LevelRealPerson, Reasons: rs, Kind: verify.KindIDCard}
}

func (d *demo) addApplicant(ref, name, number string, dec verify.Decision) {
	if _, ok := d.people[ref]; !ok {
		d.order = append(d.order, ref)
	}
	d.people[ref] = &applicant{ref: ref, identity: review.Identity{Name: name, Number: number}, decision: dec}
}

// material makes a reference to a synthetic upload: the desk keeps the reference and the
// SHA-256 of the content, never the file.
func material(ref, kind string, version int) review.Material {
	return review.Material{Kind: kind, Ref: fmt.Sprintf("uploads/%s/%s-v%d.jpg", ref, kind, version),
		Digest: sha256.Sum256(fmt.Appendf(nil, "synthetic scan %s %s v%d", ref, kind, version))}
}

func (d *demo) section(title string) {
	fmt.Fprintf(d.w, "\n== %s ==\n", title)
}

// stamp prints the simulated time before an action.
func (d *demo) stamp(format string, args ...any) {
	fmt.Fprintf(d.w, "[%s] %s\n", d.clock.Now().Format("2006-01-02 15:04 MST"), fmt.Sprintf(format, args...))
}

func (d *demo) caseNo(id string) int {
	for i, c := range d.cases {
		if c == id {
			return i + 1
		}
	}
	d.cases = append(d.cases, id)
	return len(d.cases)
}

// show prints where a case stands after an action.
func (d *demo) show(c *review.Case) { d.showCase(c, false) }

// showApplied prints where a case stands after an application, with the result of the
// automatic checks it went through.
func (d *demo) showApplied(c *review.Case) { d.showCase(c, true) }

func (d *demo) showCase(c *review.Case, check bool) {
	fmt.Fprintf(d.w, "    → case #%d %s", d.caseNo(c.ID), c.State)
	if check && c.Check != nil {
		fmt.Fprintf(d.w, " (automatic check: %s%s)", c.Check.Outcome, reasonList(c.Check.Reasons))
	}
	switch c.State {
	case review.StateInReview, review.StateResubmitted:
		fmt.Fprintf(d.w, ", reviewer %s, deadline %s", c.Reviewer, c.Deadline.Format("2006-01-02 15:04"))
	case review.StateSupplementRequested:
		fmt.Fprintf(d.w, ", applicant's deadline %s", c.Deadline.Format("2006-01-02 15:04"))
	case review.StateApproved:
		fmt.Fprintf(d.w, ", valid until %s", c.ValidUntil.Format("2006-01-02"))
	case review.StateRejected, review.StateExpired:
		fmt.Fprintf(d.w, ", reasons%s", reasonList(c.Reasons))
	}
	fmt.Fprintln(d.w)
}

func reasonList(rs []verify.Reason) string {
	if len(rs) == 0 {
		return ""
	}
	s := make([]string, len(rs))
	for i, r := range rs {
		s[i] = string(r)
	}
	return " " + strings.Join(s, ",")
}

// refused prints an expected refusal and records an unexpected success or error. A
// lock-out (rate limit, cool-off) is an error matching store.ErrLockedOut; errors.As
// gives its reason code and the time the applicant may apply again.
func (d *demo) refused(err error, want error) {
	var re *review.Error
	var lo *store.LockedOutError
	switch {
	case err == nil:
		d.failed = append(d.failed, fmt.Sprintf("want %v, got success", want))
		fmt.Fprintln(d.w, "    → accepted (unexpected)")
	case errors.As(err, &lo) && errors.As(err, &re):
		fmt.Fprintf(d.w, "    → REFUSED %s; may apply again from %s\n", re.Reason, lo.RetryAt.In(d.clock.Now().Location()).Format("2006-01-02 15:04"))
	default:
		fmt.Fprintf(d.w, "    → REFUSED %v\n", err)
	}
	if err != nil && !errors.Is(err, want) {
		d.failed = append(d.failed, fmt.Sprintf("want %v, got %v", want, err))
	}
}

// expect records a mismatch between the state a case reached and the script's.
func (d *demo) expect(c *review.Case, want review.State) {
	if c.State != want {
		d.failed = append(d.failed, fmt.Sprintf("case #%d: want %s, got %s", d.caseNo(c.ID), want, c.State))
	}
}

func (d *demo) apply(ref string, materials ...review.Material) (*review.Case, error) {
	a := d.people[ref]
	d.stamp("%s %s applies for personal certification", a.ref, a.identity)
	return d.desk.Apply(d.ctx, review.Application{Applicant: ref, Type: review.CertPersonal,
		Claimed: a.identity, Materials: materials})
}

// progress prints the applicant's own view of a case.
func (d *demo) progress(ref, id string) error {
	p, err := d.desk.Progress(d.ctx, ref, id)
	if err != nil {
		return err
	}
	fmt.Fprintf(d.w, "    progress of case #%d as %s sees it (attempt %d):\n", d.caseNo(id), ref, p.Attempt)
	fmt.Fprintf(d.w, "      status: %s / %s\n", p.Status.ZH, p.Status.EN)
	fmt.Fprintf(d.w, "      next:   %s / %s\n", p.Next.ZH, p.Next.EN)
	if !p.Deadline.IsZero() {
		fmt.Fprintf(d.w, "      deadline: %s\n", p.Deadline.Format("2006-01-02 15:04 MST"))
	}
	if !p.RetryAt.IsZero() {
		fmt.Fprintf(d.w, "      may re-apply from: %s\n", p.RetryAt.Format("2006-01-02 15:04 MST"))
	}
	for _, r := range p.Reasons {
		fmt.Fprintf(d.w, "      reason %s: %s / %s\n", r.Code, r.Text.ZH, r.Text.EN)
	}
	if p.Note != "" {
		fmt.Fprintf(d.w, "      reviewer's note: %s\n", p.Note)
	}
	fmt.Fprint(d.w, "      history:")
	for _, s := range p.History {
		fmt.Fprintf(d.w, " %s(%s)", s.Action, s.By)
	}
	fmt.Fprintln(d.w)
	return nil
}

// due lists the certifications due for re-review.
func (d *demo) due() ([]*review.Case, error) {
	cs, err := d.desk.DueForReview(d.ctx, d.clock.Now())
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(d.w, "    due for re-review: %d\n", len(cs))
	for _, c := range cs {
		fmt.Fprintf(d.w, "      case #%d %s %s, %s, valid until %s\n", d.caseNo(c.ID), c.Application.Applicant,
			c.Application.Claimed, c.State, c.ValidUntil.Format("2006-01-02"))
	}
	return cs, nil
}

// checkpoint anchors a case's audit head outside the store, as a host would in a log
// server or a separate database.
func (d *demo) checkpoint(c *review.Case) error {
	cp, err := review.SignCheckpoint(d.signKey, c.History, d.clock.Now())
	if err != nil {
		return err
	}
	d.checkpoints[c.ID] = cp
	fmt.Fprintf(d.w, "    checkpoint signed for case #%d: %d records, head %.12s…\n", d.caseNo(c.ID), cp.Seq, cp.Head)
	return nil
}

func (d *demo) printChain(recs []review.AuditRecord) {
	for i, r := range recs {
		fmt.Fprintf(d.w, "      [%d] seq %d %s  hash %.12s…  %-20s %-18s → %s", i, r.Seq,
			r.Time.Format("2006-01-02 15:04"), r.Hash, r.Actor, r.Action, r.State)
		if len(r.Reasons) > 0 {
			fmt.Fprintf(d.w, " (%s)", strings.TrimSpace(reasonList(r.Reasons)))
		}
		fmt.Fprintln(d.w)
	}
}

// audit shows a case's chain, verifies it, and attacks exported copies of it.
func (d *demo) audit(id string) error {
	c, err := d.desk.Case(d.ctx, id)
	if err != nil {
		return err
	}
	no := d.caseNo(id)
	fmt.Fprintf(d.w, "    audit chain of case #%d (%d records):\n", no, len(c.History))
	d.printChain(c.History)
	if err := review.VerifyChain(c.History); err != nil {
		d.failed = append(d.failed, "genuine chain: "+err.Error())
		fmt.Fprintf(d.w, "    verify: FAILED %v\n", err)
	} else {
		fmt.Fprintln(d.w, "    verify: chain OK")
	}
	pub := d.signKey.Public().(ed25519.PublicKey)
	cp, haveCP := d.checkpoints[id]
	if haveCP {
		err := review.VerifyCheckpoint(pub, c.History, cp)
		if err != nil {
			d.failed = append(d.failed, "genuine checkpoint: "+err.Error())
		}
		fmt.Fprintf(d.w, "    verify against the signed checkpoint (seq %d): %s\n", cp.Seq, okOr(err))
	}

	// Export for the archive, then edit the exported copy: who approved is rewritten.
	var buf bytes.Buffer
	if err := review.ExportAudit(&buf, c.History); err != nil {
		return err
	}
	lines := strings.SplitAfter(buf.String(), "\n")
	target := -1
	for i, r := range c.History {
		if r.Action == review.EventApprove.String() {
			target = i
		}
	}
	if target < 0 {
		return fmt.Errorf("case #%d has no approve record to tamper with", no)
	}
	var rec review.AuditRecord
	if err := json.Unmarshal([]byte(lines[target]), &rec); err != nil {
		return err
	}
	rec.Actor = "reviewer:r-zhou"
	edited, err := json.Marshal(rec)
	if err != nil {
		return err
	}
	lines[target] = string(edited) + "\n"
	fmt.Fprintf(d.w, "    tampered export: line %d (record [%d], %s) now says the approver was r-zhou\n",
		target+1, target, rec.Action)
	_, err = review.ImportAudit(strings.NewReader(strings.Join(lines, "")), 0)
	d.chainResult("import of the tampered export", err, target, "hash")

	// A forger who recomputes the edited record's hash breaks the link to the next one.
	forged := cloneRecords(c.History)
	forged[target].Actor = "reviewer:r-zhou"
	forged[target].Hash = forged[target].ComputeHash()
	d.chainResult("edited record with its hash recomputed", review.VerifyChain(forged), target+1, "prev")

	// One who rewrites every later hash passes the chain check, but not the checkpoint.
	for i := target + 1; i < len(forged); i++ {
		forged[i].Prev = forged[i-1].Hash
		forged[i].Hash = forged[i].ComputeHash()
	}
	err = review.VerifyChain(forged)
	fmt.Fprintf(d.w, "    every later hash recomputed too: chain check %s", okOr(err))
	if err != nil {
		d.failed = append(d.failed, "rewritten chain should pass VerifyChain: "+err.Error())
	}
	if haveCP {
		err = review.VerifyCheckpoint(pub, forged, cp)
		fmt.Fprintf(d.w, ", signed checkpoint %s", okOr(err))
		if !errors.Is(err, review.ErrNotAuthentic) {
			d.failed = append(d.failed, fmt.Sprintf("rewritten chain: want %v, got %v", review.ErrNotAuthentic, err))
		}
		// Cutting records from the end is invisible to the chain, not to the checkpoint.
		cut := c.History[:cp.Seq-1]
		err2 := review.VerifyCheckpoint(pub, cut, cp)
		fmt.Fprintf(d.w, "\n    last records cut off (%d of %d kept): chain check %s, signed checkpoint %s",
			len(cut), len(c.History), okOr(review.VerifyChain(cut)), okOr(err2))
		if !errors.Is(err2, review.ErrNotAuthentic) {
			d.failed = append(d.failed, fmt.Sprintf("truncated chain: want %v, got %v", review.ErrNotAuthentic, err2))
		}
	}
	fmt.Fprintln(d.w)
	return nil
}

func cloneRecords(rs []review.AuditRecord) []review.AuditRecord {
	out := make([]review.AuditRecord, len(rs))
	copy(out, rs)
	for i := range out {
		out[i].Reasons = append([]verify.Reason(nil), rs[i].Reasons...)
	}
	return out
}

func okOr(err error) string {
	if err == nil {
		return "OK"
	}
	return "FAILED (" + err.Error() + ")"
}

// chainResult prints a chain verification that must fail at index, in the record field
// named field.
func (d *demo) chainResult(what string, err error, index int, field string) {
	var ce *review.Error
	if !errors.Is(err, review.ErrChainBroken) || !errors.As(err, &ce) {
		d.failed = append(d.failed, fmt.Sprintf("%s: want a chain error, got %v", what, err))
		fmt.Fprintf(d.w, "    %s: %s\n", what, okOr(err))
		return
	}
	fmt.Fprintf(d.w, "    %s: FAILED at index %d (%s)\n", what, ce.Index, ce.Field)
	if ce.Index != index || ce.Field != field {
		d.failed = append(d.failed, fmt.Sprintf("%s: want index %d (%s), got %d (%s)", what, index, field, ce.Index, ce.Field))
	}
}

func run(w io.Writer, cfg config) error {
	d, err := newDemo(w, cfg)
	if err != nil {
		return err
	}
	if cfg.Interactive {
		in := cfg.In
		if in == nil {
			in = os.Stdin
		}
		return d.interactive(in)
	}
	return d.script()
}

// script runs the scripted demo.
func (d *demo) script() error {
	ctx := d.ctx
	fmt.Fprintln(d.w, "trustid review desk demo (simulated clock, in-memory store)")
	fmt.Fprintf(d.w, "reviewers:")
	for _, r := range reviewers {
		fmt.Fprintf(d.w, " %s (capacity %d", r.ID, r.Capacity)
		if len(r.Conflicts) > 0 {
			fmt.Fprintf(d.w, ", conflict with %s", strings.Join(r.Conflicts, ","))
		}
		fmt.Fprint(d.w, ")")
	}
	fmt.Fprintf(d.w, "\nlimits: %d applications per %v per applicant, %v cool-off after a rejection\n",
		applicationLimit.Limit, applicationLimit.Window, rejectCooloff)

	d.section("1. applications, automatic checks, assignment")
	step := func(dt time.Duration) { d.clock.Advance(dt) }
	cWang, err := d.apply("acct-1001", material("acct-1001", "id-card-front", 1))
	if err != nil {
		return err
	}
	d.showApplied(cWang)
	d.expect(cWang, review.StateInReview)
	fmt.Fprintln(d.w, "      (r-zhou was not offered: declared conflict with acct-1001)")

	step(5 * time.Minute)
	cLi, err := d.apply("acct-1002", material("acct-1002", "id-card-front", 1), material("acct-1002", "id-card-back", 1))
	if err != nil {
		return err
	}
	d.showApplied(cLi)
	d.expect(cLi, review.StateApproved)

	step(5 * time.Minute)
	cChen, err := d.apply("acct-1003", material("acct-1003", "id-card-front", 1))
	if err != nil {
		return err
	}
	d.showApplied(cChen)
	d.expect(cChen, review.StateRejected)

	step(5 * time.Minute)
	cZhao, err := d.apply("acct-1004", material("acct-1004", "id-card-front", 1), material("acct-1004", "police-report", 1))
	if err != nil {
		return err
	}
	d.showApplied(cZhao)
	d.expect(cZhao, review.StateInReview)
	fmt.Fprintln(d.w, "      (least loaded: r-liu already has one case)")

	step(5 * time.Minute)
	cZhang, err := d.apply("acct-1005", material("acct-1005", "id-card-front", 1))
	if err != nil {
		return err
	}
	d.showApplied(cZhang)
	d.expect(cZhang, review.StateInReview)
	fmt.Fprintln(d.w, "      (r-sun is at capacity; r-zhou has no case yet)")

	d.section("2. rate limit and cool-off")
	step(5 * time.Minute)
	d.stamp("acct-1005 withdraws and applies again at once")
	c, err := d.desk.Withdraw(ctx, "acct-1005", cZhang.ID)
	if err != nil {
		return err
	}
	d.show(c)
	cZhang2, err := d.apply("acct-1005", material("acct-1005", "id-card-front", 2))
	if err != nil {
		return err
	}
	d.showApplied(cZhang2)
	d.expect(cZhang2, review.StateInReview)
	step(5 * time.Minute)
	_, err = d.apply("acct-1005", material("acct-1005", "id-card-front", 3))
	d.refused(err, store.ErrLockedOut)

	step(5 * time.Minute)
	d.people["acct-1003"].decision = decision(verify.OutcomePass, verify.LevelRealPerson, verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified)
	d.stamp("acct-1003 renewed the expired card and re-applies at once")
	renewed := review.Application{Applicant: "acct-1003", Type: review.CertPersonal, Claimed: d.people["acct-1003"].identity,
		Materials: []review.Material{material("acct-1003", "id-card-front", 2)}}
	_, err = d.desk.Reapply(ctx, cChen.ID, renewed)
	d.refused(err, store.ErrLockedOut)

	d.section("3. supplement, resubmission, approval and rejection")
	step(85 * time.Minute)
	d.stamp("r-liu asks acct-1001 for a clearer scan")
	c, err = d.desk.RequestSupplement(ctx, "r-liu", cWang.ID, []verify.Reason{review.ReasonMaterialUnclear, review.ReasonMaterialMissing},
		"请补充身份证反面的清晰照片。Please add a clear photo of the back of the ID card.")
	if err != nil {
		return err
	}
	d.show(c)
	d.expect(c, review.StateSupplementRequested)
	if err := d.progress("acct-1001", cWang.ID); err != nil {
		return err
	}

	step(22 * time.Hour)
	d.stamp("acct-1001 resubmits front and back")
	c, err = d.desk.Resubmit(ctx, "acct-1001", cWang.ID,
		[]review.Material{material("acct-1001", "id-card-front", 2), material("acct-1001", "id-card-back", 1)})
	if err != nil {
		return err
	}
	d.show(c)
	d.expect(c, review.StateResubmitted)

	step(3 * time.Hour)
	d.stamp("r-liu approves case #%d", d.caseNo(cWang.ID))
	c, err = d.desk.Approve(ctx, "r-liu", cWang.ID, nil)
	if err != nil {
		return err
	}
	d.show(c)
	d.expect(c, review.StateApproved)
	if err := d.checkpoint(c); err != nil {
		return err
	}

	d.stamp("r-liu tries to approve case #%d, which is r-sun's", d.caseNo(cZhao.ID))
	_, err = d.desk.Approve(ctx, "r-liu", cZhao.ID, nil)
	d.refused(err, review.ErrNotAssigned)
	d.stamp("r-sun rejects case #%d", d.caseNo(cZhao.ID))
	c, err = d.desk.Reject(ctx, "r-sun", cZhao.ID, []verify.Reason{verify.ReasonDocumentReportedLost, review.ReasonMaterialInconsistent},
		"证件已挂失，请补办后重新申请。The card was reported lost; apply again with the replacement card.")
	if err != nil {
		return err
	}
	d.show(c)
	d.expect(c, review.StateRejected)
	if err := d.progress("acct-1004", cZhao.ID); err != nil {
		return err
	}

	d.stamp("r-zhou approves case #%d", d.caseNo(cZhang2.ID))
	c, err = d.desk.Approve(ctx, "r-zhou", cZhang2.ID, nil)
	if err != nil {
		return err
	}
	d.show(c)
	d.expect(c, review.StateApproved)

	step(time.Hour)
	d.stamp("acct-1003's cool-off is over: re-application with the renewed card")
	c, err = d.desk.Reapply(ctx, cChen.ID, renewed)
	if err != nil {
		return err
	}
	d.showApplied(c)
	d.expect(c, review.StateApproved)

	d.section("4. periodic re-review")
	step(300 * 24 * time.Hour)
	d.stamp("300 days later")
	cs, err := d.due()
	if err != nil {
		return err
	}
	if len(cs) != 0 {
		d.failed = append(d.failed, fmt.Sprintf("after 300 days: want 0 due, got %d", len(cs)))
	}
	step(70 * 24 * time.Hour)
	d.stamp("370 days after the start")
	if cs, err = d.due(); err != nil {
		return err
	}
	if len(cs) != 4 {
		d.failed = append(d.failed, fmt.Sprintf("after 370 days: want 4 due, got %d", len(cs)))
	}
	d.stamp("the host's periodic sweep")
	rep, err := d.desk.Sweep(ctx, d.clock.Now())
	if err != nil {
		return err
	}
	// Delivered and Failed count every notice the sweep sent: its own (the re-review
	// notices above) and retries of notices left pending by earlier failures.
	fmt.Fprintf(d.w, "    sweep: %d expired; notices: %d delivered, %d failed\n", rep.Expired, rep.Delivered, rep.Failed)
	if rep.Expired != 4 || rep.Delivered != 4 || rep.Failed != 0 {
		d.failed = append(d.failed, fmt.Sprintf("sweep: want 4 expired and 4 notices delivered, got %+v", rep))
	}

	d.section("5. audit trail")
	if err := d.audit(cWang.ID); err != nil {
		return err
	}

	d.section("6. a verification journey: a decision token in, a referee's decision out")
	if err := d.journey(); err != nil {
		return err
	}

	if len(d.failed) > 0 {
		return fmt.Errorf("unexpected desk behaviour: %s", strings.Join(d.failed, "; "))
	}
	fmt.Fprintln(d.w, "\nall steps behaved as expected")
	return nil
}

// livenessResult stands in for *liveness.Result: a real-person check begun for the
// document check and passed.
type livenessResult struct{ doc *verify.DocumentResult }

func (r livenessResult) Subject() string        { return r.doc.Subject }
func (r livenessResult) CheckID() string        { return r.doc.CheckID }
func (r livenessResult) PhotoRef() string       { return r.doc.PhotoRef }
func (r livenessResult) CompletedAt() time.Time { return r.doc.CheckedAt }
func (r livenessResult) LivenessPassed() bool   { return true }
func (r livenessResult) FaceMatchPassed() bool  { return true }

// journey runs a verification journey that needs a human, carries its sealed decision
// into an application, and turns the reviewer's approval into a decision the wallet
// accepts: a trusted referee's, for the same person, at the level the evidence reached.
func (d *demo) journey() error {
	ctx := d.ctx
	number, err := idcard.Generate(d.rand, idcard.GenOptions{Region: "650102"})
	if err != nil {
		return err
	}
	const ref = "acct-1006"
	if err := d.registry.Add(verify.Record{Kind: verify.KindIDCard, Number: number, Name: "阿依古丽·买买提",
		ValidFrom: verify.DateOf(d.clock.Now().AddDate(-2, 0, 0)), LongTerm: true, Status: verify.StatusValid,
		PhotoRef: "registry/photo/1006"}); err != nil {
		return err
	}
	d.addApplicant(ref, "阿依古丽买买提", number, verify.Decision{})
	a := d.people[ref]
	d.stamp("%s verifies: document check (name typed without its middle dot) and liveness", ref)
	doc, err := d.verifier.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: number, Name: a.identity.Name})
	if err != nil {
		return err
	}
	j := d.verifier.Decide(doc, livenessResult{doc}, nil)
	fmt.Fprintf(d.w, "    journey decision: %v, valid until %s, sealed token of %d bytes\n",
		j, j.ValidUntil.Format("15:04"), len(j.Token))

	app := review.Application{Applicant: ref, Type: review.CertPersonal, Claimed: a.identity,
		Materials: []review.Material{material(ref, "id-card-front", 1)}}
	d.stamp("a forged decision token (one character changed) is refused before anything is counted")
	forged := []byte(j.Token)
	forged[len(forged)/2] ^= 1
	app.Decision = string(forged)
	_, err = d.desk.Apply(ctx, app)
	d.refused(err, review.ErrNotAuthentic)

	d.stamp("%s %s applies, carrying the journey's decision token", ref, a.identity)
	app.Decision = j.Token
	c, err := d.desk.Apply(ctx, app)
	if err != nil {
		return err
	}
	d.showApplied(c)
	d.expect(c, review.StateInReview)
	fmt.Fprintf(d.w, "      the reviewer sees the journey: %s at %s, reasons%s\n", c.Journey.Outcome, c.Journey.Level, reasonList(c.Journey.Reasons))

	d.clock.Advance(70 * time.Hour)
	d.stamp("%s approves case #%d as a trusted referee (the journey's token expired long ago)", c.Reviewer, d.caseNo(c.ID))
	c, err = d.desk.Approve(ctx, c.Reviewer, c.ID, []verify.Reason{"name_confirmed_by_document"})
	if err != nil {
		return err
	}
	d.show(c)
	d.expect(c, review.StateApproved)

	// The host hands c.Approval.Token (also in the approval notice's Decision field) to
	// wallet.Link; here it opens it as the wallet's side would.
	got, err := d.verifier.Decisions().Open(c.Approval.Token)
	if err != nil {
		d.failed = append(d.failed, fmt.Sprintf("approval decision does not open: %v", err))
		return nil
	}
	fmt.Fprintf(d.w, "    approval decision: %v, referee %s on case #%d, rationale%s, valid until %s\n",
		got, got.Referee.Reviewer, d.caseNo(got.Referee.Case), reasonList(got.Referee.Rationale), got.ValidUntil.Format("15:04"))
	fmt.Fprintf(d.w, "    same person as the journey: %t; same subject: %t\n", got.IsPerson(number), got.Subject == j.Subject)
	if got.Outcome != verify.OutcomePass || got.Level != j.Level || !got.IsPerson(number) {
		d.failed = append(d.failed, fmt.Sprintf("approval decision %v is not a pass at %v for the journey's person", got, j.Level))
	}
	last := c.History[len(c.History)-1]
	fmt.Fprintf(d.w, "    audit record %d: %s %s, level %s, rationale%s\n", last.Seq, last.Actor, last.Action, last.Level, reasonList(last.Reasons))

	// The wallet links on the referee's decision, once.
	now := d.clock.Now()
	src := wallet.NewMemorySource()
	src.Set(number, wallet.Credential{Kind: verify.KindIDCard, Number: number,
		Holder: wallet.Holder{Name: "阿依古丽·买买提"}, Authority: "乌鲁木齐市公安局天山分局",
		ValidFrom: verify.DateOf(now.AddDate(-2, 0, 0)), LongTerm: true, Status: wallet.StatusActive})
	indexKey := make([]byte, 32)
	rand.Read(indexKey)
	w, err := wallet.New(wallet.Config{Source: src, Store: wallet.NewMemoryStore(), IndexKey: indexKey,
		Decisions: d.verifier.Decisions(), RequiredLevel: verify.LevelRealPerson, Now: d.clock.Now})
	if err != nil {
		return err
	}
	d.stamp("the host links %s's wallet on the approval decision", ref)
	res, err := w.Link(ctx, wallet.LinkRequest{Decision: c.Approval.Token, Holder: wallet.HolderRef{IDNumber: number}})
	if err != nil {
		d.failed = append(d.failed, fmt.Sprintf("wallet refused the approval decision: %v", err))
		return nil
	}
	fmt.Fprintf(d.w, "    wallet: %d credential(s) linked at level %s\n", len(res.Changes), got.Level)
	_, err = w.Link(ctx, wallet.LinkRequest{Decision: c.Approval.Token, Holder: wallet.HolderRef{IDNumber: number}})
	d.refused(err, store.ErrReplayed)
	return nil
}
