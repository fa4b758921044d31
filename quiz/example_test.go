package quiz_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

func ExampleExaminer() {
	ctx := context.Background()
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	secret := []byte("example only: use 32 random bytes") // in production: crypto/rand, kept secret

	// Distractors: plausible values of each category, in the answers' formats.
	ds := quiz.NewMemoryDistractors(map[quiz.Category][]string{
		quiz.CategoryVehiclePlate: {"京C24680", "京E13579", "京F11223", "京G98765", "京H55667"},
		quiz.CategoryPhoneCarrier: {"中国电信", "中国广电", "京东通信", "小米移动", "中国联通"},
		quiz.CategoryBank:         {"中国建设银行", "中国光大银行", "中国民生银行", "北京农商银行"},
		quiz.CategoryEmployer:     {"上海明月电子有限公司", "深圳青松软件有限公司", "杭州远山数据有限公司", "广州白鹭传媒有限公司"},
	})
	ex, err := quiz.New(quiz.Config{
		Keys:        []store.Key{{ID: 1, Secret: secret}},
		Distractors: ds,
		Now:         func() time.Time { return now },
	})
	if err != nil {
		fmt.Println(err)
		return
	}

	// Facts the host holds about the person (made up for this example).
	facts := []quiz.Fact{
		{Category: quiz.CategoryVehiclePlate, Value: "京A12345", ValidFrom: now.AddDate(-4, 0, 0), Source: "vehicle registry"},
		{Category: quiz.CategoryPhoneCarrier, Value: "中国移动", ValidFrom: now.AddDate(-8, 0, 0), Source: "carrier"},
		{Category: quiz.CategoryBank, Value: "中国工商银行", ValidFrom: now.AddDate(-6, 0, 0), Source: "bank"},
		{Category: quiz.CategoryEmployer, Value: "北京星辰科技有限公司", ValidFrom: now.AddDate(-3, 0, 0), ValidUntil: now.AddDate(-1, 0, 0), Source: "social insurance"},
	}
	// The subject names the person (verify.DocumentResult.Subject: the same whichever
	// of the person's documents was checked); the check ID ties the result to the check.
	ch, err := ex.Begin(ctx, quiz.BeginRequest{Subject: "subject-hmac-1", Device: "device-1", Facts: facts, CheckID: "check-1"})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("questions:", len(ch.Questions))
	fmt.Println("options per question:", len(ch.Questions[0].Options))

	// The applicant's device gets the questions with their option texts; logs get the
	// masked forms.
	toDevice, err := ch.ClientJSON()
	if err != nil {
		fmt.Println(err)
		return
	}
	o := ch.Questions[0].Options[0]
	fmt.Println("text for the device:", bytes.Contains(toDevice, []byte(o.Text)), "in a log:", strings.Contains(fmt.Sprint(o), o.Text))

	// The person answers (here: the test helper answers for them).
	now = now.Add(3 * time.Minute)
	res, err := ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, facts)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("passed:", res.QuizPassed())

	_, err = ex.Finish(ctx, quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, facts)})
	fmt.Println("second finish refused:", errors.Is(err, store.ErrReplayed))

	// The decision is made on another server with the same keys: the result travels
	// sealed.
	sealed, err := ex.SealResult(res)
	if err != nil {
		fmt.Println(err)
		return
	}
	other, err := quiz.New(quiz.Config{Keys: []store.Key{{ID: 1, Secret: secret}}, Distractors: ds, Now: func() time.Time { return now }})
	if err != nil {
		fmt.Println(err)
		return
	}
	opened, err := other.OpenResult(sealed)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("opened elsewhere:", opened.QuizPassed(), opened.CheckID())
	// Output:
	// questions: 4
	// options per question: 5
	// text for the device: true in a log: false
	// passed: true
	// second finish refused: true
	// opened elsewhere: true check-1
}

func ExampleNormalize() {
	fmt.Println(quiz.Normalize("京Ａ１２３４５") == quiz.Normalize(" 京a 12345"))
	fmt.Println(quiz.Normalize("BEIJING\u3000Road"))
	// Output:
	// true
	// beijingroad
}

func ExampleSameShape() {
	fmt.Println(quiz.SameShape("京A12345", "京B67890"))
	fmt.Println(quiz.SameShape("京A12345", "京B6789")) // one digit fewer gives the answer away
	fmt.Println(quiz.SameShape("北京市朝阳区建国路88号", "北京市海淀区学院路35号"))
	fmt.Println(quiz.SameShape("北京市朝阳区建国路88号", "北京市朝阳区东三环中路88号")) // so do two characters more
	// Output:
	// true
	// false
	// true
	// false
}
