package extract

// The words of free sentences the extractor knows beyond the keywords of
// models.Rules, kept together as data.
var (
	// negations deny a keyword they come just before: 不想退学, 没有生病,
	// 取消缓考 (which is about a request already made, not a new one).
	negations = []string{
		"不", "没", "别", "未", "勿", "无需", "无须", "不必", "并非", "取消", "撤销", "撤回",
	}

	// fillers may stand between a negation or an intent and its keyword.
	fillers = []string{
		"想", "要", "申请", "办理", "办", "打算", "准备", "需要", "是", "再", "去",
		"了", "有", "因为", "由于", "做", "提交",
	}

	// intents just before a kind's keyword mark the kind as the one asked
	// for: 休学期满了想复学.
	intents = []string{"想", "要", "申请", "办理", "办", "打算", "准备", "需要"}

	// backgrounds just after a kind's keyword mark it as a state the
	// student is in or was in, not a request: 休学期满, 缓考期间.
	backgrounds = []string{"期满", "到期", "结束", "期间", "以后", "之后"}
)
