/*
 * contact.h - phone numbers and email addresses in one form, so that a
 * suppression list matches however a lead wrote them.
 */
#ifndef BRAIN_CONTACT_H
#define BRAIN_CONTACT_H

#include <stddef.h>

/* Normalise a phone number to +digits (10 digits are taken as +1), or an
 * email to lowercase; 0 on success, -1 when it is not one. */
int contact_normalise_phone(const char *in, char *out, size_t size);
int contact_normalise_email(const char *in, char *out, size_t size);

#endif
