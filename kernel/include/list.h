/* list.h - circular doubly-linked lists embedded in the structures they
 * link (free pages, run queues, wait lists, the page cache's LRU). */
#ifndef ZC32_LIST_H
#define ZC32_LIST_H
#include "types.h"

struct list { struct list *next, *prev; };

#define LIST_INIT(name) { &(name), &(name) }
static inline void list_init(struct list *l) { l->next = l->prev = l; }
static inline bool list_empty(const struct list *l) { return l->next == l; }
static inline void list_insert_after(struct list *pos, struct list *n)
{ n->next = pos->next; n->prev = pos; pos->next->prev = n; pos->next = n; }
static inline void list_push_back(struct list *head, struct list *n) { list_insert_after(head->prev, n); }
static inline void list_push_front(struct list *head, struct list *n) { list_insert_after(head, n); }
static inline void list_remove(struct list *n)
{ n->prev->next = n->next; n->next->prev = n->prev; n->next = n->prev = n; }
#define list_entry(p, t, m) container_of(p, t, m)
#define list_for_each(it, head) for (struct list *it = (head)->next; it != (head); it = it->next)

#endif
