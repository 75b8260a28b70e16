package handlers

// Texts of the WeChat callback that users see.
const (
	// textSorry answers a message the conversation failed on.
	textSorry = "抱歉，系统繁忙，请稍后再试。"
)
