package quiz

import (
	"cmp"
	"context"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/trustid/trustid/internal/mask"
	"github.com/trustid/trustid/internal/seal"
	"github.com/trustid/trustid/store"
)

// Purpose is the seal purpose of quiz tokens: a token sealed for another purpose (a
// liveness session) under the same key is not a quiz token.
const Purpose = "quiz"

// Config configures an [Examiner]. Zero fields take the defaults given.
type Config struct {
	// Keys seal quiz tokens: Keys[0] seals, all open (for rotation). Required.
	Keys []store.Key
	// IndexKey (at least 32 bytes) keys the HMACs under which subjects, devices and facts
	// are stored in the attempt and asked stores. Default: derived from Keys[0] with HKDF,
	// which means rotating Keys[0] forgets attempt counts and asked facts; set IndexKey to
	// keep them across rotations.
	IndexKey []byte
	// Distractors supplies wrong options. Required (see [NewMemoryDistractors]).
	Distractors DistractorSource
	// ReplayGuard makes tokens single use. Default store.NewMemoryReplayGuard().
	ReplayGuard store.ReplayGuard
	// AttemptStore counts attempts under Policy.Attempts and Policy.DeviceAttempts.
	// Default store.NewMemoryAttemptStore().
	AttemptStore store.AttemptStore
	// Asked remembers asked facts. Default NewMemoryAskedStore().
	Asked AskedStore
	// Policy holds the rules; zero fields take NIST-based defaults (see [Policy]).
	Policy Policy
	// Now is the clock. Default time.Now.
	Now func() time.Time
	// Rand is the source of every random choice (session keys, question and option
	// order, which questions have "none of the above" as answer). Default crypto/rand.
	Rand io.Reader
	// Logger receives one record per Begin and Finish, without personal data. Default
	// silent.
	Logger *slog.Logger
}

// Examiner builds and scores quizzes. It is safe for concurrent use.
type Examiner struct {
	sealer   *seal.Sealer
	index    []byte
	ds       DistractorSource
	replay   store.ReplayGuard
	attempts store.AttemptStore
	asked    AskedStore
	policy   Policy
	cats     []Category // enabled categories, sorted, for reproducible weighted draws
	now      func() time.Time
	rand     io.Reader
	log      *slog.Logger
}

// New validates cfg, fills in defaults and returns an examiner.
func New(cfg Config) (*Examiner, error) {
	if len(cfg.Keys) == 0 {
		return nil, errors.New("quiz: Config.Keys is required")
	}
	sealer, err := seal.New(Purpose, cfg.Keys...)
	if err != nil {
		return nil, fmt.Errorf("quiz: %w", err)
	}
	if cfg.Distractors == nil {
		return nil, errors.New("quiz: Config.Distractors is required")
	}
	if err := cfg.Policy.Validate(); err != nil {
		return nil, err
	}
	e := &Examiner{
		sealer:   sealer,
		ds:       cfg.Distractors,
		replay:   cmp.Or[store.ReplayGuard](cfg.ReplayGuard, store.NewMemoryReplayGuard()),
		attempts: cmp.Or[store.AttemptStore](cfg.AttemptStore, store.NewMemoryAttemptStore()),
		asked:    cmp.Or[AskedStore](cfg.Asked, NewMemoryAskedStore()),
		policy:   cfg.Policy.withDefaults(),
		now:      cfg.Now,
		rand:     cmp.Or[io.Reader](cfg.Rand, rand.Reader),
		log:      cmp.Or(cfg.Logger, slog.New(slog.DiscardHandler)),
	}
	switch {
	case cfg.IndexKey == nil:
		k, err := hkdf.Key(sha256.New, cfg.Keys[0].Secret, nil, "trustid/quiz/index/v1", 32)
		if err != nil {
			return nil, fmt.Errorf("quiz: deriving index key: %w", err)
		}
		e.index = k
	case len(cfg.IndexKey) < 32:
		return nil, errors.New("quiz: Config.IndexKey must be at least 32 bytes")
	default:
		e.index = slices.Clone(cfg.IndexKey)
	}
	if e.now == nil {
		e.now = time.Now
	}
	for c := range e.policy.Categories {
		e.cats = append(e.cats, c)
	}
	slices.Sort(e.cats)
	return e, nil
}

// Policy returns the policy in force, with defaults filled in.
func (e *Examiner) Policy() Policy {
	p := e.policy
	p.Categories = maps.Clone(p.Categories)
	return p
}

// Challenge is what Begin returns: the questions for the client and the token that carries
// the session to Finish.
type Challenge struct {
	// Token is the sealed session state (purpose "quiz"). It holds no answer in the
	// clear; the host may hand it to the client or keep it.
	Token string
	// Questions in the order to ask them.
	Questions []Question
	// Expires is when the quiz times out (Begin time plus Policy.TotalTimeout, to the
	// second).
	Expires time.Time
}

// Question is one multiple-choice question.
type Question struct {
	// ID is opaque and random; it identifies the question within this quiz only.
	ID       string
	Category Category
	Prompt   string
	// Options in display order. The "none of the above" option, when enabled, is always
	// last and present whether or not it is the answer.
	Options []Option
}

// Option is one answer choice. Its Text may be personal data (the true value is usually
// among the options): String and LogValue do not show it.
type Option struct {
	// ID is opaque and random, unrelated to the option's position or content.
	ID   string
	Text string
	// NoneOfTheAbove marks the "none of the above" option.
	NoneOfTheAbove bool
}

// String shows the option's ID but not its text.
func (o Option) String() string {
	return "quiz.Option{" + o.ID + " " + mask.Text(o.Text) + "}"
}

// LogValue shows the option's ID but not its text.
func (o Option) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", o.ID), slog.String("text", mask.Text(o.Text)))
}

// Answer is the option chosen for one question.
//
// ShownAt and AnsweredAt are optional times, as observed by the host's server (not the
// client device), at which the question was delivered and its answer received. When given
// (both or neither), Finish checks that ShownAt is not before Begin, AnsweredAt is not
// before ShownAt nor after Finish, and AnsweredAt−ShownAt is within
// Policy.QuestionTimeout, all with Policy.ClockSkew tolerance. The library cannot know
// whether these times are true; it knows only its own Begin and Finish times.
type Answer struct {
	QuestionID string
	OptionID   string
	ShownAt    time.Time
	AnsweredAt time.Time
}

// Result is the outcome of a finished quiz: pass or fail and nothing more. It never says
// which answers were wrong. It implements the memory-evidence interface of package verify.
type Result struct {
	subject  string
	passed   bool
	finished time.Time
}

// Subject returns the opaque subject binding given to Begin.
func (r *Result) Subject() string { return r.subject }

// QuizPassed reports whether the quiz was passed.
func (r *Result) QuizPassed() bool { return r.passed }

// FinishedAt returns the time Finish scored the quiz.
func (r *Result) FinishedAt() time.Time { return r.finished }

// String shows the outcome with the subject masked.
func (r *Result) String() string {
	outcome := "fail"
	if r.passed {
		outcome = "pass"
	}
	return "quiz.Result{" + mask.Middle(r.subject, 4, 0) + " " + outcome + "}"
}

// LogValue shows the outcome with the subject masked.
func (r *Result) LogValue() slog.Value {
	return slog.GroupValue(slog.String("subject", mask.Middle(r.subject, 4, 0)), slog.Bool("passed", r.passed))
}

const (
	maxFacts         = 1000
	maxDevice        = 256
	oversample       = 3 // distractors asked for per distractor needed
	triesPerCategory = 3
)

type candidate struct {
	fact Fact
	id   string // keyed hash of category and normalised value
}

type built struct {
	category    Category
	answer      candidate
	distractors []candidate // Value and keyed hash of each distractor
	shown       int         // how many distractors are shown
}

// Begin starts a quiz for subject (an opaque binding such as an HMAC of the ID number; it
// comes back from Result.Subject) on device (an opaque device identifier, or "" for none)
// from the person's facts.
//
// It picks Policy.Questions facts from distinct enabled categories (weighted by
// PickWeight), leaving out static, public, future, too old and recently asked facts; asks
// the distractor source for wrong values and drops any that equal (after [Normalize]) a
// true fact of the person, do not have the answer's shape ([SameShape]) or were shown to
// the subject within Policy.RememberFor; and shuffles the options with Config.Rand.
// Too few usable facts is [ErrTooFewFacts]; too few acceptable distractors is
// [ErrTooFewDistractors]: the library never builds a weaker quiz.
//
// Only once a quiz is built does Begin count an attempt for the device and then the
// subject, returning [ErrLockedOut] (with RetryAt) when either is locked out; so a Begin
// refused for too few facts or distractors costs no attempt, and a subject whose facts are
// used up is told so even while locked out. A device that is locked out is refused before
// the subject's count is touched. Begin then claims the facts asked and the values shown
// in the [AskedStore], so that the next quiz asks and shows others; if a concurrent Begin
// for the subject claimed one of them first, it returns [ErrConcurrentQuiz] (the attempt
// stays counted). Store and source failures are wrapped and refuse the quiz.
func (e *Examiner) Begin(ctx context.Context, subject, device string, facts []Fact) (*Challenge, error) {
	if subject == "" || len(subject) > maxSubject || len(device) > maxDevice || len(facts) > maxFacts {
		return nil, ErrInvalidInput
	}
	for _, f := range facts {
		if len(f.Value) > maxValueBytes || !utf8.ValidString(f.Value) || len(f.Category) > 64 {
			return nil, ErrInvalidInput
		}
	}
	p := &e.policy
	now := e.now()
	ix := e.newIndexer()
	subjectKey := ix.id("subject", subject)
	recent, err := e.asked.Asked(ctx, subjectKey, now)
	if err != nil {
		return nil, fmt.Errorf("quiz: asked store: %w", err)
	}

	truth := make(map[string]bool, len(facts))
	byCat := make(map[Category][]candidate)
	recentSet := make(map[string]bool, len(recent))
	for _, id := range recent {
		recentSet[id] = true
	}
	seen := maps.Clone(recentSet)
	for _, f := range facts {
		n := Normalize(f.Value)
		if n == "" {
			continue
		}
		truth[n] = true
		if _, ok := p.Categories[f.Category]; !ok || f.Static || f.Public {
			continue
		}
		if !f.ValidFrom.IsZero() && f.ValidFrom.After(now) {
			continue
		}
		if !f.ValidUntil.IsZero() && now.Sub(f.ValidUntil) > p.MaxFactAge {
			continue
		}
		id := ix.id("fact", string(f.Category)+"\x00"+n)
		if seen[id] {
			continue // asked recently, or a duplicate
		}
		seen[id] = true
		byCat[f.Category] = append(byCat[f.Category], candidate{fact: f, id: id})
	}
	if len(byCat) < p.Questions {
		return nil, ErrTooFewFacts
	}

	r := newRNG(e.rand)
	order, err := e.categoryOrder(r, byCat)
	if err != nil {
		return nil, err
	}
	need := p.Options - 1
	if !p.DisableNoneOfTheAbove {
		need = p.Options // a question whose answer is hidden shows Options distractors
	}
	qs := make([]built, 0, p.Questions)
	for _, c := range order {
		if len(qs) == p.Questions {
			break
		}
		b, ok, err := e.buildQuestion(ctx, r, ix, c, byCat[c], truth, recentSet, need)
		if err != nil {
			return nil, err
		}
		if ok {
			qs = append(qs, b)
		}
	}
	if len(qs) < p.Questions {
		return nil, ErrTooFewDistractors
	}

	// Which questions have "none of the above" as answer: a uniform count in
	// 0..NoneOfTheAboveMax, at uniformly chosen positions.
	hidden := make([]bool, len(qs))
	if !p.DisableNoneOfTheAbove {
		k, err := r.intn(p.NoneOfTheAboveMax + 1)
		if err != nil {
			return nil, err
		}
		for i := range k {
			hidden[i] = true
		}
		if err := r.shuffle(len(hidden), func(i, j int) { hidden[i], hidden[j] = hidden[j], hidden[i] }); err != nil {
			return nil, err
		}
	}

	st := &state{begin: now.UnixNano(), subject: subject}
	ch, err := e.assemble(r, st, qs, hidden)
	if err != nil {
		return nil, err
	}

	if device != "" {
		if err := e.take(ctx, "quiz/device/"+ix.id("device", device), now, p.DeviceAttempts); err != nil {
			return nil, err
		}
	}
	if err := e.take(ctx, "quiz/subject/"+subjectKey, now, p.Attempts); err != nil {
		return nil, err
	}
	// Remember the facts asked and the distractors shown: a later quiz that showed a
	// value again would tell its taker that the value is not that quiz's answer (true
	// facts are never distractors and asked facts are not asked again).
	ids := make([]string, 0, len(qs)*(p.Options+1))
	for _, b := range qs {
		ids = append(ids, b.answer.id)
		for _, x := range b.distractors[:b.shown] {
			ids = append(ids, x.id)
		}
	}
	fresh, err := e.asked.Claim(ctx, subjectKey, ids, now, now.Add(p.RememberFor))
	if err != nil {
		return nil, fmt.Errorf("quiz: asked store: %w", err)
	}
	if !fresh {
		return nil, ErrConcurrentQuiz
	}

	expires := time.Unix(now.Add(p.TotalTimeout).Unix(), 0)
	ch.Token, err = e.sealer.Seal(st.encode(), expires, e.rand)
	if err != nil {
		return nil, fmt.Errorf("quiz: sealing: %w", err)
	}
	ch.Expires = expires
	e.log.LogAttrs(ctx, slog.LevelInfo, "quiz begin", slog.Int("questions", len(qs)))
	return ch, nil
}

// assemble shuffles the options of each question, gives questions and options their IDs
// from a new session key, and records in st each question's option count, weight and
// answer MAC.
func (e *Examiner) assemble(r *rng, st *state, qs []built, hidden []bool) (*Challenge, error) {
	p := &e.policy
	st.questions = make([]stateQuestion, len(qs))
	if err := r.read(st.key[:]); err != nil {
		return nil, err
	}
	d := newDeriver(st.key[:])
	ch := &Challenge{Questions: make([]Question, len(qs))}
	for i := range qs {
		b := &qs[i]
		b.shown = p.Options - 1
		if hidden[i] {
			b.shown = p.Options
		}
		values := make([]string, 0, p.Options)
		for _, x := range b.distractors[:b.shown] {
			values = append(values, x.fact.Value)
		}
		if !hidden[i] {
			values = append(values, b.answer.fact.Value)
		}
		correct := -1
		if err := r.shuffle(len(values), func(i, j int) { values[i], values[j] = values[j], values[i] }); err != nil {
			return nil, err
		}
		q := Question{
			ID:       d.questionID(i),
			Category: b.category,
			Prompt:   p.Categories[b.category].Prompt,
			Options:  make([]Option, 0, p.Options+1),
		}
		for j, v := range values {
			if !hidden[i] && v == b.answer.fact.Value {
				correct = j
			}
			q.Options = append(q.Options, Option{ID: d.optionID(i, j), Text: display(v)})
		}
		if !p.DisableNoneOfTheAbove {
			j := len(q.Options)
			if hidden[i] {
				correct = j
			}
			q.Options = append(q.Options, Option{ID: d.optionID(i, j), Text: p.NoneOfTheAboveText, NoneOfTheAbove: true})
		}
		if correct < 0 {
			return nil, errors.New("quiz: internal error: answer not among the options")
		}
		ch.Questions[i] = q
		st.questions[i] = stateQuestion{options: len(q.Options), weight: p.Categories[b.category].ScoreWeight}
		copy(st.questions[i].answer[:], d.answerMAC(i, q.Options[correct].ID))
	}

	return ch, nil
}

// categoryOrder draws every usable category without replacement, each draw weighted by
// PickWeight: the first Questions that yield a question make the quiz, the rest are
// fallbacks.
func (e *Examiner) categoryOrder(r *rng, byCat map[Category][]candidate) ([]Category, error) {
	var cats []Category
	for _, c := range e.cats {
		if len(byCat[c]) > 0 {
			cats = append(cats, c)
		}
	}
	order := make([]Category, 0, len(cats))
	for len(cats) > 0 {
		total := 0
		for _, c := range cats {
			total += e.policy.Categories[c].PickWeight
		}
		x, err := r.intn(total)
		if err != nil {
			return nil, err
		}
		for i, c := range cats {
			x -= e.policy.Categories[c].PickWeight
			if x < 0 {
				order = append(order, c)
				cats = slices.Delete(cats, i, i+1)
				break
			}
		}
	}
	return order, nil
}

// buildQuestion picks a fact of category c and enough acceptable distractors for it,
// trying up to triesPerCategory facts. ok is false when none works.
func (e *Examiner) buildQuestion(ctx context.Context, r *rng, ix *indexer, c Category, cands []candidate, truth, recent map[string]bool, need int) (b built, ok bool, err error) {
	cands = slices.Clone(cands)
	if err := r.shuffle(len(cands), func(i, j int) { cands[i], cands[j] = cands[j], cands[i] }); err != nil {
		return built{}, false, err
	}
	for _, cand := range cands[:min(len(cands), triesPerCategory)] {
		got, err := e.ds.Distractors(ctx, c, cand.fact.Value, oversample*need)
		if err != nil {
			return built{}, false, fmt.Errorf("quiz: distractor source: %w", err)
		}
		ds := acceptDistractors(ix, c, cand.fact.Value, got, truth, recent)
		if len(ds) < need {
			continue
		}
		if err := r.shuffle(len(ds), func(i, j int) { ds[i], ds[j] = ds[j], ds[i] }); err != nil {
			return built{}, false, err
		}
		return built{category: c, answer: cand, distractors: ds[:need]}, true, nil
	}
	return built{}, false, nil
}

// acceptDistractors keeps the values that are usable text, have the answer's shape, equal
// neither a true fact of the person nor an earlier kept value after normalisation, and
// were not shown to the subject recently.
func acceptDistractors(ix *indexer, c Category, answer string, got []string, truth, recent map[string]bool) []candidate {
	kept := make([]candidate, 0, len(got))
	norms := make(map[string]bool, len(got))
	sa := shapeOf(answer)
	for _, v := range got {
		if !usableText(v) || !sa.same(shapeOf(v)) {
			continue
		}
		n := Normalize(v)
		if truth[n] || norms[n] {
			continue
		}
		norms[n] = true
		id := ix.id("fact", string(c)+"\x00"+n)
		if recent[id] {
			continue
		}
		kept = append(kept, candidate{fact: Fact{Category: c, Value: v}, id: id})
	}
	return kept
}

func (e *Examiner) take(ctx context.Context, key string, now time.Time, rule store.AttemptRule) error {
	res, err := e.attempts.Take(ctx, key, now, rule)
	if err != nil {
		return fmt.Errorf("quiz: attempt store: %w", err)
	}
	if !res.Allowed {
		return &Error{Reason: ReasonLockedOut, RetryAt: res.RetryAt, msg: ErrLockedOut.msg}
	}
	return nil
}

// indexID is the keyed hash under which a subject, device or fact is stored.
func (e *Examiner) indexID(label, s string) string { return e.newIndexer().id(label, s) }

// indexer computes index IDs with one reusable HMAC; it is not safe for concurrent use.
type indexer struct {
	mac hash.Hash
	buf []byte
	sum [sha256.Size]byte
}

func (e *Examiner) newIndexer() *indexer {
	return &indexer{mac: hmac.New(sha256.New, e.index), buf: make([]byte, 0, 128)}
}

func (x *indexer) id(label, s string) string {
	x.mac.Reset()
	x.buf = append(x.buf[:0], "trustid/quiz/index/v1\x00"...)
	x.buf = append(x.buf, label...)
	x.buf = append(x.buf, 0)
	x.buf = append(x.buf, s...)
	x.mac.Write(x.buf)
	return base64.RawURLEncoding.EncodeToString(x.mac.Sum(x.sum[:0])[:16])
}

// Finish scores the answers to the quiz in token.
//
// It checks, in this order: the token's integrity ([ErrInvalidToken]) and expiry
// ([ErrTimeout]); single use through the replay guard ([ErrReplayed]; of concurrent
// Finishes of one token exactly one goes on); that every answer is to a question of this
// quiz, with an option of that question, at most one per question, with consistent times
// ([ErrBadAnswers]); and the per-question time limit on host-reported times
// ([ErrTimeout]). Every check after the replay guard uses the token up.
//
// A missing answer counts as wrong. Answers are compared with their keyed hashes in
// constant time and all of them are scored before the outcome is decided; the Result says
// pass or fail only. A pass resets the subject's attempt count; a device's count is never
// reset by a pass, so one identity that passes cannot launder a device's failures.
func (e *Examiner) Finish(ctx context.Context, token string, answers []Answer) (*Result, error) {
	if len(token) > maxTokenLen {
		return nil, ErrInvalidToken
	}
	p := &e.policy
	now := e.now()
	payload, exp, _, err := e.sealer.Open(token, now)
	switch {
	case errors.Is(err, seal.ErrExpired):
		return nil, ErrTimeout
	case err != nil:
		return nil, ErrInvalidToken
	}
	st, err := decodeState(payload)
	if err != nil {
		return nil, ErrInvalidToken
	}
	first, err := e.replay.Claim(ctx, seal.Digest(Purpose, token), now, exp)
	if err != nil {
		return nil, fmt.Errorf("quiz: replay guard: %w", err)
	}
	if !first {
		return nil, ErrReplayed
	}

	n := len(st.questions)
	if len(answers) > n {
		return nil, ErrBadAnswers
	}
	d := newDeriver(st.key[:])
	qids := make([]string, n)
	for i := range qids {
		qids[i] = d.questionID(i)
	}
	chosen := make([]string, n)
	timedOut := false
	begin := time.Unix(0, st.begin)
	for _, a := range answers {
		i := slices.Index(qids, a.QuestionID)
		if i < 0 || chosen[i] != "" {
			return nil, ErrBadAnswers
		}
		member := false
		for j := range st.questions[i].options {
			if d.optionID(i, j) == a.OptionID {
				member = true
			}
		}
		if !member {
			return nil, ErrBadAnswers
		}
		chosen[i] = a.OptionID
		switch {
		case a.ShownAt.IsZero() && a.AnsweredAt.IsZero():
			if p.RequireAnswerTimes {
				return nil, ErrBadAnswers
			}
		case a.ShownAt.IsZero() || a.AnsweredAt.IsZero(),
			a.ShownAt.Before(begin.Add(-p.ClockSkew)),
			a.AnsweredAt.Before(a.ShownAt),
			a.AnsweredAt.After(now.Add(p.ClockSkew)):
			return nil, ErrBadAnswers
		case a.AnsweredAt.Sub(a.ShownAt) > p.QuestionTimeout:
			timedOut = true
		}
	}
	if timedOut {
		return nil, ErrTimeout
	}

	// Score every question, right or wrong, without branching on the outcome.
	missed := 0
	for i, q := range st.questions {
		got := d.answerMAC(i, chosen[i])
		right := subtle.ConstantTimeCompare(got, q.answer[:])
		answered := subtle.ConstantTimeEq(int32(len(chosen[i])), 0) ^ 1
		missed += (1 - (right & answered)) * q.weight
	}
	passed := subtle.ConstantTimeLessOrEq(missed, p.MaxMissedWeight) == 1
	res := &Result{subject: st.subject, passed: passed, finished: now}
	if passed {
		if err := e.attempts.Reset(ctx, "quiz/subject/"+e.indexID("subject", st.subject)); err != nil {
			// The pass stands; the count will run out at the end of its window.
			e.log.LogAttrs(ctx, slog.LevelWarn, "quiz: resetting attempts failed", slog.String("error", err.Error()))
		}
	}
	e.log.LogAttrs(ctx, slog.LevelInfo, "quiz finish", slog.Bool("passed", passed))
	return res, nil
}
