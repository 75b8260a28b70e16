package dev_test

import (
	"strconv"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/imut/xuewu/handlers/dev"
)

func TestSignatureIsWeChats(t *testing.T) {
	t.Parallel()
	// sha1("123456789" + "1764727200" + "xuewu-demo-token"), the three sorted.
	require.Equal(t, "65e14605ce5f6bce7b50aa3a4e66899169089f7a",
		dev.Signature("xuewu-demo-token", "1764727200", "123456789"))
	require.Equal(t, dev.Signature("a", "b", "c"), dev.Signature("c", "a", "b"),
		"the order given does not matter")
}

func TestSignedQuery(t *testing.T) {
	t.Parallel()
	q := dev.SignedQuery("tok", "sim-2023150101", 1764727200)
	require.Equal(t, "1764727200", q.Get("timestamp"))
	require.Equal(t, "sim-2023150101", q.Get("openid"))
	_, err := strconv.ParseUint(q.Get("nonce"), 10, 64)
	require.NoError(t, err, "the nonce is digits, as WeChat's")
	require.Equal(t, dev.Signature("tok", q.Get("timestamp"), q.Get("nonce")), q.Get("signature"))
	require.NotEqual(t, q.Get("nonce"), dev.SignedQuery("tok", "x", 1).Get("nonce"),
		"a new nonce each time")
}
