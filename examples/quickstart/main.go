// Command quickstart runs the whole trustid journey on in-memory defaults with a synthetic
// person: a student who forgot her ID card enrols on her phone.
//
//	go run ./examples/quickstart
//
// Steps: the document check against the registry, the real-person check (random actions,
// simulated analyser observations, a face-match score), the memory quiz (simulated
// answers), the decision with its level and reasons, wallet linking (sealed at rest), and a
// rotating QR identity code for an internet cafe, printed in the terminal, opened by a
// reader, checked online, and refused once the card is reported lost.
//
// Nothing here needs set-up: keys are drawn from crypto/rand at start, the person and the
// registry are made up, and the host's analyser and face matcher are stand-ins that do no
// analysis (liveness/livenesstest). Time runs on a simulated clock that the program moves
// forward as the person would take time, so the whole journey runs in milliseconds.
package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sync"
	"time"

	"github.com/trustid/trustid/liveness"
	"github.com/trustid/trustid/liveness/livenesstest"
	"github.com/trustid/trustid/qrtoken"
	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/wallet"
)

func main() {
	noQR := flag.Bool("noqr", false, "do not draw the QR code in the terminal")
	flag.Parse()
	if err := run(os.Stdout, options{Start: time.Now(), DrawQR: !*noQR, Rand: rand.Reader}); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

type options struct {
	Start  time.Time // the simulated clock starts here
	DrawQR bool      // draw the identity code as a QR symbol in the terminal
	Rand   io.Reader // the synthetic person's number; keys always come from crypto/rand
}

// clock is the simulated clock every component reads.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time)     { c.mu.Lock(); c.t = t; c.mu.Unlock() }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

func key32() []byte {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		panic(err) // crypto/rand does not fail on supported platforms
	}
	return b
}

// person is the synthetic applicant. The name, the address and the facts are made up;
// the ID number comes from idcard.Generate.
type person struct {
	Name, Number, Address, Phone string
	Birth                        time.Time
	Facts                        []quiz.Fact
}

// demoFacts are what the host's records say about the synthetic person, as of now.
func demoFacts(now time.Time) []quiz.Fact {
	return []quiz.Fact{
		{Category: quiz.CategoryPreviousAddress, Value: "福建省厦门市思明区演武路12号", ValidFrom: now.AddDate(-9, 0, 0), ValidUntil: now.AddDate(-2, 0, 0), Source: "household register"},
		{Category: quiz.CategoryEmployer, Value: "厦门鹭岛书店有限公司", ValidFrom: now.AddDate(-2, 0, 0), ValidUntil: now.AddDate(-1, 0, 0), Source: "social insurance"},
		{Category: quiz.CategoryPhoneCarrier, Value: "中国移动", ValidFrom: now.AddDate(-4, 0, 0), Source: "carrier"},
		{Category: quiz.CategoryBank, Value: "招商银行", ValidFrom: now.AddDate(-3, 0, 0), Source: "bank"},
	}
}

// demoDistractors are plausible wrong values, each of the exact shape of some answer.
var demoDistractors = map[quiz.Category][]string{
	quiz.CategoryPreviousAddress: {"福建省泉州市鲤城区中山路88号", "福建省福州市鼓楼区杨桥路56号", "广东省汕头市金平区长平路19号", "浙江省温州市鹿城区五马街23号", "江西省南昌市东湖区八一大道15号"},
	quiz.CategoryEmployer:        {"福州榕树书店有限公司", "泉州刺桐茶叶有限公司", "漳州水仙花卉有限公司", "莆田木兰鞋业有限公司", "宁德海岸渔业有限公司"},
	quiz.CategoryPhoneCarrier:    {"中国电信", "中国联通", "中国广电", "京东通信", "小米移动"},
	quiz.CategoryBank:            {"中国银行", "交通银行", "兴业银行", "浦发银行", "中信银行"},
}

func run(w io.Writer, o options) error {
	ctx := context.Background()
	clk := &clock{t: o.Start}
	total := time.Now()
	step := func(n int, title string) func() {
		fmt.Fprintf(w, "\n%d. %s\n", n, title)
		t := time.Now()
		return func() { fmt.Fprintf(w, "   (%v)\n", time.Since(t).Round(10*time.Microsecond)) }
	}

	// The person: a student born in 2006, enrolling on her phone.
	birth := time.Date(2006, 3, 14, 0, 0, 0, 0, time.UTC)
	number, err := idcard.Generate(o.Rand, idcard.GenOptions{Region: "110108", Birth: birth, Gender: idcard.Female})
	if err != nil {
		return err
	}
	now := o.Start
	p := person{
		Name: "林小雨", Number: number, Address: "北京市海淀区学院路37号", Phone: "13800000000", Birth: birth,
		Facts: demoFacts(now),
	}
	registry, err := verify.NewMemoryRegistry(verify.Record{
		Kind: verify.KindIDCard, Number: p.Number, Name: p.Name, Gender: idcard.Female,
		BirthDate: verify.DateOf(birth), Nationality: "CHN", Ethnicity: "汉", Address: p.Address,
		Authority: "北京市公安局海淀分局", ValidFrom: verify.DateOf(now.AddDate(-2, 0, 0)),
		ValidUntil: verify.DateOf(now.AddDate(8, 0, 0)), Status: verify.StatusValid, PhotoRef: "registry-photo:0001",
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "Synthetic applicant %s, ID number %s (every value is made up; output is masked)\n",
		maskName(p.Name), mustParse(p.Number, now))

	// 1. Document check (人证核验): the claim against the authoritative registry.
	done := step(1, "Document check: name and ID number against the registry")
	checker, err := verify.New(verify.Config{
		Registry:   registry,
		SubjectKey: key32(),
		Keys:       []store.Key{{ID: 1, Secret: key32()}},
		Policy:     verify.Policy{Required: verify.LevelHigh},
		Now:        clk.Now,
	})
	if err != nil {
		return err
	}
	doc, err := checker.CheckDocument(ctx, verify.Claim{Kind: verify.KindIDCard, Number: p.Number, Name: p.Name})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %v\n", doc)
	if doc.Outcome != verify.OutcomePass {
		return fmt.Errorf("document check: %v", doc.Reasons)
	}
	done()

	// 2. Real-person check (实人核验): random actions, then a face match.
	done = step(2, "Real-person check: random actions and a face match")
	challenger, err := liveness.New(liveness.Config{
		Keys:       []store.Key{{ID: 1, Secret: key32()}},
		Thresholds: []liveness.Threshold{{Backend: "demo-face", ModelVersion: "1.0", MinScore: 0.62, FalseMatchRate: 1e-5}},
		Matcher:    livenesstest.FixedMatcher{Value: 0.91, Backend: "demo-face", ModelVersion: "1.0"},
		Now:        clk.Now,
		// Every frame must come signed by the phone's key (injection defence).
		RequireDeviceBinding: true,
	})
	if err != nil {
		return err
	}
	// The face is biometric data: she agrees to its use for this check on a screen of its
	// own (separate consent, GB/T 35273-2020), and the host records what she saw and when.
	consent, err := challenger.Consents().Record(ctx, liveness.Consent{Subject: doc.Subject,
		Purpose: liveness.PurposeBiometric, TextVersion: "face-2026-11", GivenAt: clk.Now()})
	if err != nil {
		return err
	}
	fmt.Fprintln(w, "   biometric consent recorded (text face-2026-11)")
	// The session is bound to this document check: its person, its check ID and the
	// registry photo the face will be matched against.
	// The phone's capture app holds an Ed25519 key (in a real app, in the secure element,
	// with the platform's attestation); livenesstest.Device simulates one.
	phone := livenesstest.NewDevice()
	ch, err := challenger.Begin(ctx, liveness.BeginRequest{Subject: doc.Subject, CheckID: doc.CheckID,
		Device: "phone:demo", Reference: liveness.PhotoRef(doc.PhotoRef), Consent: consent,
		DeviceKey: phone.PublicKey()})
	if err != nil {
		return err
	}
	fmt.Fprint(w, "   the phone asks for:")
	for _, s := range ch.Client().Steps {
		fmt.Fprintf(w, " %s", s.Action)
	}
	fmt.Fprintln(w)
	// The host's analyser watches the video; Simulate stands in for it.
	obs := livenesstest.Simulate(ch, ch.IssuedAt)
	clk.Set(obs[len(obs)-1].End.Add(500 * time.Millisecond))
	// The phone signs every frame it captures: session ID, frame hash, capture time and
	// the previous envelope's hash, so frames cannot be injected, reordered or replayed.
	capture := phone.Capture(ch, obs, 30)
	fmt.Fprintf(w, "   %d frames arrive in envelopes signed by the phone's key\n", len(capture))
	live, err := challenger.Finish(ctx, liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "frame:best",
		Capture: capture})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   outcome %s (liveness %v, face match %v); the phone is told only %q\n",
		live.Outcome, live.LivenessPassed(), live.FaceMatchPassed(), live.Client().Outcome)
	if _, err := challenger.Finish(ctx, liveness.FinishRequest{Token: ch.Token, Observations: obs, Probe: "frame:best",
		Capture: capture}); errors.Is(err, store.ErrReplayed) {
		fmt.Fprintln(w, "   the same session finished again: refused as replayed")
	} else {
		return fmt.Errorf("liveness replay was not refused: %v", err)
	}
	done()

	// 3. Memory check (动态问卷): questions from what only she should know.
	done = step(3, "Memory check: a dynamic questionnaire")
	examiner, err := quiz.New(quiz.Config{
		Keys:        []store.Key{{ID: 1, Secret: key32()}},
		Distractors: quiz.NewMemoryDistractors(demoDistractors),
		Now:         clk.Now,
	})
	if err != nil {
		return err
	}
	qz, err := examiner.Begin(ctx, quiz.BeginRequest{Subject: doc.Subject, CheckID: doc.CheckID, Device: "phone:demo", Facts: p.Facts})
	if err != nil {
		return err
	}
	for i, q := range qz.Questions {
		fmt.Fprintf(w, "   Q%d %s (%d options)\n", i+1, q.Prompt, len(q.Options))
	}
	// The phone needs the option texts; ClientJSON is the one form that carries them
	// (logging qz, or encoding it with encoding/json, shows them masked).
	toPhone, err := qz.ClientJSON()
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   sent to the phone: %d bytes of JSON; in the log: %v\n", len(toPhone), qz.Questions[0].Options[0])
	clk.Add(90 * time.Second)
	answers := quiztest.CorrectAnswers(qz, p.Facts) // the person answers on the phone
	mem, err := examiner.Finish(ctx, quiz.FinishRequest{Token: qz.Token, Answers: answers})
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   quiz passed: %v (the result never says which answers were wrong)\n", mem.QuizPassed())
	done()

	// 4. Decision: the three factors together.
	done = step(4, "Decision")
	dec := checker.Decide(doc, live, mem)
	fmt.Fprintf(w, "   outcome %s at level %s (required %s)\n", dec.Outcome, dec.Level, dec.Required)
	// The quiz adds no NIST SP 800-63A-4 assurance (knowledge-based verification is not
	// allowed); the face match is the biometric verification pathway.
	fmt.Fprintf(w, "   SP 800-63A-4: %s by the %s pathway (from the library's evidence alone)\n", dec.IAL(), dec.Pathway)
	for _, r := range dec.Reasons {
		fmt.Fprintf(w, "   - %s: %s\n", r, r.Message("en"))
	}
	if !dec.Passed() {
		return fmt.Errorf("decision: %v", dec.Reasons)
	}
	done()

	// 5. The wallet: her credentials linked from the registries after the passing decision.
	done = step(5, "Wallet: credentials linked after the passing decision")
	holder := wallet.Holder{Name: p.Name, Address: p.Address, Gender: idcard.Female}
	sources := wallet.NewMemorySource()
	sources.Set(p.Number,
		wallet.Credential{Kind: verify.KindIDCard, Number: p.Number, Holder: holder, Authority: "北京市公安局海淀分局",
			ValidFrom: verify.DateOf(now.AddDate(-2, 0, 0)), ValidUntil: verify.DateOf(now.AddDate(8, 0, 0)),
			Status: wallet.StatusActive, Source: "population-registry"},
		wallet.Credential{Kind: verify.KindDriverLicence, Number: p.Number, Holder: holder, Authority: "北京市公安局公安交通管理局",
			ValidFrom: verify.DateOf(now.AddDate(0, -6, 0)), ValidUntil: verify.DateOf(now.AddDate(6, -6, 0)),
			Status: wallet.StatusActive, Source: "traffic-registry",
			Driver: &wallet.DriverLicence{Class: "C1", ArchiveNumber: "110012345678"}},
	)
	store, err := wallet.NewSealedStore(wallet.NewMemoryStore(), store.Key{ID: 1, Secret: key32()})
	if err != nil {
		return err
	}
	codeKey := qrtoken.SecretKey{ID: 1, Secret: key32()}
	issuer, err := qrtoken.NewIssuer(qrtoken.IssuerConfig{Key: &codeKey, Now: clk.Now})
	if err != nil {
		return err
	}
	wal, err := wallet.New(wallet.Config{
		Source: sources, Store: store, Issuer: issuer, IndexKey: key32(),
		Decisions: checker.Decisions(), RequiredLevel: verify.LevelRealPerson, Now: clk.Now,
	})
	if err != nil {
		return err
	}
	me := wallet.HolderRef{IDNumber: p.Number}
	if _, err := wal.Link(ctx, wallet.LinkRequest{Decision: dec.Token, Holder: me}); err != nil {
		return err
	}
	creds, err := wal.Credentials(ctx, me)
	if err != nil {
		return err
	}
	var idCard wallet.Credential
	for _, c := range creds {
		fmt.Fprintf(w, "   %v\n", c)
		if c.Kind == verify.KindIDCard {
			idCard = c
		}
	}
	done()

	// 6. The identity code: rotating, encrypted, for an internet cafe.
	done = step(6, "Identity code for an internet cafe (changes every minute)")
	pres, err := wal.Present(ctx, wallet.PresentRequest{Holder: me, Handle: idCard.Handle, Purpose: qrtoken.PurposeInternetCafe()})
	if err != nil {
		return err
	}
	code := pres.Code
	version, err := qrtoken.Version(code.Text(), qrtoken.RecoveryM)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "   %d characters, QR version %d at ECC level M, valid until %s\n",
		len(code.Text()), version, code.Expires.Format("15:04:05"))
	if o.DrawQR {
		art, err := qrtoken.Terminal(code.Text(), qrtoken.RecoveryM)
		if err != nil {
			return err
		}
		fmt.Fprint(w, art)
	}
	done()

	// 7. The cafe's reader opens the code.
	done = step(7, "The internet cafe's reader scans the code")
	// An online reader asks the wallet, inside Open, whether the card is still active.
	reader, err := qrtoken.NewReader(qrtoken.ReaderConfig{
		Purposes:      []qrtoken.Purpose{qrtoken.PurposeInternetCafe()},
		Keys:          []qrtoken.SecretKey{codeKey},
		StatusChecker: wal,
		Now:           clk.Now,
	})
	if err != nil {
		return err
	}
	clk.Add(5 * time.Second)
	opened, err := reader.Open(ctx, code.Text())
	if err != nil {
		return err
	}
	over18, _ := opened.Claims.IsOver(18)
	fmt.Fprintf(w, "   accepted: %v, over 18: %v, card active, window %d (%s to %s)\n", opened.Claims, over18,
		opened.Window.Number, opened.Window.Start.Format("15:04:05"), opened.Window.End.Format("15:04:05"))
	if _, err := reader.Open(ctx, code.Text()); err != nil {
		fmt.Fprintf(w, "   scanned again: refused (%v)\n", err)
	} else {
		return errors.New("a replayed code was accepted")
	}
	clk.Add(3 * time.Minute)
	if _, err := reader.Open(ctx, code.Text()); err != nil {
		fmt.Fprintf(w, "   a screenshot shown three minutes later: refused (%v)\n", err)
	} else {
		return errors.New("an expired code was accepted")
	}
	shown, err := wal.Present(ctx, wallet.PresentRequest{Holder: me, Handle: idCard.Handle, Purpose: qrtoken.PurposeInternetCafe()})
	if err != nil {
		return err
	}
	if err := wal.SetStatus(ctx, idCard.Handle, wallet.StatusReportedLost, "holder-app"); err != nil {
		return err
	}
	if _, err := reader.Open(ctx, shown.Code.Text()); errors.Is(err, qrtoken.ErrStatusRefused) {
		fmt.Fprintf(w, "   a code shown just before she reported the card lost: refused inside Open (%v)\n", wallet.ReasonOf(err))
	} else {
		return fmt.Errorf("a code of a card reported lost was accepted: %v", err)
	}
	if _, err := wal.Present(ctx, wallet.PresentRequest{Holder: me, Handle: idCard.Handle, Purpose: qrtoken.PurposeInternetCafe()}); err != nil {
		fmt.Fprintf(w, "   after she reports the card lost, the wallet refuses to show it (%v)\n", err)
	} else {
		return errors.New("a card reported lost was presented")
	}
	done()

	fmt.Fprintf(w, "\nJourney complete in %v.\n", time.Since(total).Round(10*time.Microsecond))
	return nil
}

func mustParse(number string, now time.Time) idcard.Number {
	n, err := idcard.Parse(number, now)
	if err != nil {
		panic(err) // Generate makes valid numbers
	}
	return n
}

func maskName(s string) string {
	r := []rune(s)
	for i := 1; i < len(r); i++ {
		r[i] = '*'
	}
	return string(r)
}
