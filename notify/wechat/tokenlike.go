package wechat

// TokenLike reports whether s looks like what WeChat issues as a code,
// openid, state or echostr: 1 to maxLen ASCII letters, digits, '-' and
// '_'. Anything else could smuggle parameters into a URL or a page.
func TokenLike(s string, maxLen int) bool {
	if s == "" || len(s) > maxLen {
		return false
	}
	for _, r := range s {
		ok := r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' ||
			r == '-' || r == '_'
		if !ok {
			return false
		}
	}
	return true
}
