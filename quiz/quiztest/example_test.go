package quiztest_test

import (
	"context"
	"fmt"
	"time"

	"github.com/trustid/trustid/quiz"
	"github.com/trustid/trustid/quiz/quiztest"
	"github.com/trustid/trustid/store"
)

// CorrectAnswers lets a test or a demo pass a quiz without a person.
func ExampleCorrectAnswers() {
	now := time.Date(2026, 11, 23, 8, 0, 0, 0, time.UTC)
	ex, err := quiz.New(quiz.Config{
		Keys: []store.Key{{ID: 1, Secret: []byte("example only: use 32 random bytes")}},
		Distractors: quiz.NewMemoryDistractors(map[quiz.Category][]string{
			quiz.CategoryVehiclePlate: {"京C24680", "京E13579", "京F11223", "京G98765"},
			quiz.CategoryPhoneCarrier: {"中国电信", "中国广电", "京东通信", "小米移动"},
			quiz.CategoryBank:         {"中国建设银行", "中国光大银行", "中国民生银行", "北京农商银行"},
			quiz.CategoryEmployer:     {"上海明月电子有限公司", "深圳青松软件有限公司", "杭州远山数据有限公司", "广州白鹭传媒有限公司"},
		}),
		Now: func() time.Time { return now },
	})
	if err != nil {
		fmt.Println(err)
		return
	}
	facts := []quiz.Fact{
		{Category: quiz.CategoryVehiclePlate, Value: "京A12345"},
		{Category: quiz.CategoryPhoneCarrier, Value: "中国移动"},
		{Category: quiz.CategoryBank, Value: "中国工商银行"},
		{Category: quiz.CategoryEmployer, Value: "北京星辰科技有限公司"},
	}
	ch, err := ex.Begin(context.Background(), quiz.BeginRequest{Subject: "subject", Facts: facts})
	if err != nil {
		fmt.Println(err)
		return
	}
	res, err := ex.Finish(context.Background(), quiz.FinishRequest{Token: ch.Token, Answers: quiztest.CorrectAnswers(ch, facts)})
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("answers:", len(ch.Questions), "passed:", res.QuizPassed())
	// Output: answers: 4 passed: true
}
