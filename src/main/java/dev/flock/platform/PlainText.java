package dev.flock.platform;

import jakarta.validation.Constraint;
import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import jakarta.validation.Payload;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Text measured in Unicode code points (what a person counts as characters, unlike String.length()), without control
 * characters (a newline only where {@code multiline}). Null is valid; combine with @NotNull when required.
 */
@Target({ElementType.FIELD, ElementType.PARAMETER, ElementType.RECORD_COMPONENT, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Constraint(validatedBy = PlainText.Validator.class)
public @interface PlainText {

    int min() default 0;

    int max();

    boolean multiline() default false;

    String message() default "";

    Class<?>[] groups() default {};

    Class<? extends Payload>[] payload() default {};

    class Validator implements ConstraintValidator<PlainText, String> {
        private PlainText rule;

        @Override
        public void initialize(PlainText rule) {
            this.rule = rule;
        }

        @Override
        public boolean isValid(String value, ConstraintValidatorContext context) {
            if (value == null) {
                return true;
            }
            String problem = problem(value, rule.min(), rule.max(), rule.multiline());
            if (problem == null) {
                return true;
            }
            context.disableDefaultConstraintViolation();
            context.buildConstraintViolationWithTemplate(problem).addConstraintViolation();
            return false;
        }

        /** What is wrong with the text, or null. */
        public static String problem(String value, int min, int max, boolean multiline) {
            int length = value.codePointCount(0, value.length());
            if (length < min || length > max) {
                return min > 0 ? "must be " + min + " to " + max + " characters" : "must be at most " + max + " characters";
            }
            boolean control = value.codePoints().anyMatch(c -> Character.isISOControl(c) && !(multiline && c == '\n'));
            return control ? (multiline ? "must not contain control characters other than newline" : "must not contain control characters") : null;
        }
    }
}
