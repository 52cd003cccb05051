/* version.h - the toolkit's version, printed by every program's --version. */
#ifndef BRAIN_VERSION_H
#define BRAIN_VERSION_H

#define BRAIN_VERSION "0.1.0"

#endif
