// Package models is xuewu's domain: the rules of the seven request kinds
// (Rules), the people and courses of a school, requests and their approval
// steps, and the workflow that submits, edits, decides and expires them.
// Every operation runs in one transaction on PostgreSQL (or, for trying
// xuewu out, SQLite). It imports none of xuewu's other packages.
package models
