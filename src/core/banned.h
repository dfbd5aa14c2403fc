/* Functions that are easy to misuse; included by every core header so a use fails to build. */
#ifndef PJ_BANNED_H
#define PJ_BANNED_H
#define PJ_BANNED(f) sorry_##f##_is_banned
#undef strcpy
#define strcpy(a, b) PJ_BANNED(strcpy)
#undef strcat
#define strcat(a, b) PJ_BANNED(strcat)
#undef sprintf
#define sprintf(...) PJ_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PJ_BANNED(vsprintf)
#undef gets
#define gets(a) PJ_BANNED(gets)
#undef atoi
#define atoi(a) PJ_BANNED(atoi)
#endif
