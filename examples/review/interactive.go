package main

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/trustid/trustid/verify"
	"github.com/trustid/trustid/verify/idcard"
	"github.com/trustid/trustid/verify/review"
)

const help = `commands (cases are numbered #1, #2, ... as they appear; write 1 or #1):
  applicants                          list the synthetic applicants
  add <ref> <name>                    add a synthetic applicant (random synthetic ID number)
  checks <ref> pass|fail|review [reason ...]
                                      set what the automatic checks return for <ref>
  apply <ref> [material-kind ...]     apply (default material: id-card-front)
  cases                               list every case
  supplement <reviewer> <#> <reason,...> [note ...]
  resubmit <ref> <#> [material-kind ...]
  approve <reviewer> <#>
  reject <reviewer> <#> <reason,...> [note ...]
  withdraw <ref> <#>
  reapply <ref> <#>
  progress <ref> <#>                  the applicant's view
  advance <duration>                  move the clock (e.g. 90m, 36h, 400d)
  sweep                               run the periodic sweep now
  due                                 list certifications due for re-review
  checkpoint <#>                      sign the case's audit head
  audit <#>                           show, verify and attack the case's audit chain
  help, quit`

// interactive runs a desk session reading one command per line from in.
func (d *demo) interactive(in io.Reader) error {
	fmt.Fprintln(d.w, "trustid review desk (interactive; simulated clock, in-memory store). Type help.")
	fmt.Fprintf(d.w, "reviewers: r-liu, r-sun, r-zhou; applicants: %s\n", strings.Join(d.order, ", "))
	sc := bufio.NewScanner(in)
	for {
		fmt.Fprintf(d.w, "[%s]> ", d.clock.Now().Format("2006-01-02 15:04"))
		if !sc.Scan() {
			fmt.Fprintln(d.w)
			return sc.Err()
		}
		f := strings.Fields(sc.Text())
		if len(f) == 0 {
			continue
		}
		if f[0] == "quit" || f[0] == "exit" {
			return nil
		}
		if err := d.command(f[0], f[1:]); err != nil {
			fmt.Fprintf(d.w, "error: %v\n", err)
		}
	}
}

var errUsage = errors.New("wrong arguments; type help")

func (d *demo) command(cmd string, args []string) error {
	ctx := d.ctx
	need := func(n int) error {
		if len(args) < n {
			return errUsage
		}
		return nil
	}
	switch cmd {
	case "help":
		fmt.Fprintln(d.w, help)
	case "applicants":
		for _, ref := range d.order {
			a := d.people[ref]
			fmt.Fprintf(d.w, "  %s %s, automatic checks: %s%s\n", ref, a.identity, a.decision.Outcome, reasonList(a.decision.Reasons))
		}
	case "add":
		if err := need(2); err != nil {
			return err
		}
		num, err := idcard.Generate(d.rand, idcard.GenOptions{})
		if err != nil {
			return err
		}
		d.addApplicant(args[0], args[1], num, decision(verify.OutcomeReview, verify.LevelRealName, verify.ReasonNameLenientMatch))
		fmt.Fprintf(d.w, "  added %s %s\n", args[0], d.people[args[0]].identity)
	case "checks":
		if err := need(2); err != nil {
			return err
		}
		a, err := d.applicant(args[0])
		if err != nil {
			return err
		}
		var dec verify.Decision
		switch args[1] {
		case "pass":
			dec = decision(verify.OutcomePass, verify.LevelRealPerson, verify.ReasonRealNameVerified, verify.ReasonRealPersonVerified)
		case "fail":
			dec = decision(verify.OutcomeFail, verify.LevelNone, verify.ReasonRecordNotFound)
		case "review":
			dec = decision(verify.OutcomeReview, verify.LevelRealName, verify.ReasonNameLenientMatch)
		default:
			return errUsage
		}
		if len(args) > 2 {
			dec.Reasons = nil
			for _, r := range args[2:] {
				dec.Reasons = append(dec.Reasons, verify.Reason(r))
			}
		}
		a.decision = dec
	case "apply":
		if err := need(1); err != nil {
			return err
		}
		if _, err := d.applicant(args[0]); err != nil {
			return err
		}
		c, err := d.apply(args[0], materials(args[0], args[1:], 1)...)
		if err != nil {
			return err
		}
		d.showApplied(c)
	case "cases":
		for _, id := range d.cases {
			c, err := d.desk.Case(ctx, id)
			if err != nil {
				return err
			}
			fmt.Fprintf(d.w, "  #%d %s %s %s attempt %d", d.caseNo(id), c.ID, c.Application.Applicant, c.State, c.Attempt)
			if c.Reviewer != "" {
				fmt.Fprintf(d.w, " reviewer %s", c.Reviewer)
			}
			fmt.Fprintln(d.w)
		}
	case "supplement", "reject":
		if err := need(3); err != nil {
			return err
		}
		id, err := d.caseID(args[1])
		if err != nil {
			return err
		}
		var reasons []verify.Reason
		for r := range strings.SplitSeq(args[2], ",") {
			reasons = append(reasons, verify.Reason(r))
		}
		note := strings.Join(args[3:], " ")
		var c *review.Case
		if cmd == "reject" {
			c, err = d.desk.Reject(ctx, args[0], id, reasons, note)
		} else {
			c, err = d.desk.RequestSupplement(ctx, args[0], id, reasons, note)
		}
		if err != nil {
			return err
		}
		d.show(c)
	case "resubmit":
		if err := need(2); err != nil {
			return err
		}
		id, err := d.caseID(args[1])
		if err != nil {
			return err
		}
		c, err := d.desk.Resubmit(ctx, args[0], id, materials(args[0], args[2:], 2))
		if err != nil {
			return err
		}
		d.show(c)
	case "approve", "withdraw", "reapply", "progress", "checkpoint", "audit":
		n := 2
		if cmd == "checkpoint" || cmd == "audit" {
			n = 1
		}
		if err := need(n); err != nil {
			return err
		}
		id, err := d.caseID(args[n-1])
		if err != nil {
			return err
		}
		var c *review.Case
		switch cmd {
		case "approve":
			c, err = d.desk.Approve(ctx, args[0], id, nil)
		case "withdraw":
			c, err = d.desk.Withdraw(ctx, args[0], id)
		case "reapply":
			var a *applicant
			if a, err = d.applicant(args[0]); err == nil {
				c, err = d.desk.Reapply(ctx, id, review.Application{Applicant: a.ref, Type: review.CertPersonal,
					Claimed: a.identity, Materials: materials(a.ref, nil, 3)})
			}
		case "progress":
			return d.progress(args[0], id)
		case "checkpoint":
			if c, err = d.desk.Case(ctx, id); err == nil {
				return d.checkpoint(c)
			}
		case "audit":
			return d.audit(id)
		}
		if err != nil {
			return err
		}
		d.showCase(c, cmd == "reapply")
	case "advance":
		if err := need(1); err != nil {
			return err
		}
		dt, err := parseDuration(args[0])
		if err != nil {
			return err
		}
		d.clock.Advance(dt)
	case "sweep":
		rep, err := d.desk.Sweep(ctx, d.clock.Now())
		fmt.Fprintf(d.w, "  sweep: %+v\n", rep)
		return err
	case "due":
		_, err := d.due()
		return err
	default:
		return fmt.Errorf("unknown command %q; type help", cmd)
	}
	return nil
}

func (d *demo) applicant(ref string) (*applicant, error) {
	a, ok := d.people[ref]
	if !ok {
		return nil, fmt.Errorf("no applicant %q (see applicants, add)", ref)
	}
	return a, nil
}

func (d *demo) caseID(s string) (string, error) {
	n, err := strconv.Atoi(strings.TrimPrefix(s, "#"))
	if err != nil || n < 1 || n > len(d.cases) {
		return "", fmt.Errorf("no case %s (see cases)", s)
	}
	return d.cases[n-1], nil
}

func materials(ref string, kinds []string, version int) []review.Material {
	if len(kinds) == 0 {
		kinds = []string{"id-card-front"}
	}
	ms := make([]review.Material, len(kinds))
	for i, k := range kinds {
		ms[i] = material(ref, k, version)
	}
	return ms
}

// parseDuration accepts Go durations and whole days ("400d").
func parseDuration(s string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(s, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil || n < 0 {
			return 0, fmt.Errorf("bad duration %q", s)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	dt, err := time.ParseDuration(s)
	if err != nil || dt < 0 {
		return 0, fmt.Errorf("bad duration %q", s)
	}
	return dt, nil
}
