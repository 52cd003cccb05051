/*
 * banned.h - functions this code base does not use.
 *
 * Included last by every libbrain and program source file.  Each of these
 * has a safer replacement: snprintf for sprintf, memcpy with a known length
 * for strcpy, strtol/strtoll with full error checks for atoi, gmtime_r for
 * gmtime (thread-safe, no static buffer), strtok_r or explicit scanning for
 * strtok.  Using one is a compile error that names the replacement.
 */
#ifndef BRAIN_BANNED_H
#define BRAIN_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_brain

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atof
#define atof(x) BANNED(atof)
#undef gmtime
#define gmtime(t) BANNED(gmtime)
#undef localtime
#define localtime(t) BANNED(localtime)
#undef gets
#define gets(x) BANNED(gets)

#endif
