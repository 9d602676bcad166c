import Testing

@testable import AmplificationLanguageModels

struct PromptTemplateTests {
    @Test func fillsEveryPlaceholderInOnePass() {
        let template = PromptTemplate(system: "Role: {{role}}", user: "{{question}} / {{question}} / {{unknown}}")
        let messages = template.render(["role": "tutor", "question": "why {{role}}?"])
        #expect(messages == [.system("Role: tutor"), .user("why {{role}}? / why {{role}}? / {{unknown}}")])
    }

    @Test func listsItsPlaceholders() {
        let template = PromptTemplate(system: "{{a}} and {{b}}", user: "{{c}} {{ unclosed")
        #expect(template.placeholders == ["a", "b", "c"])
    }

    @Test func validationNamesTheMissingPlaceholders() throws {
        let template = PromptTemplate(user: "{{question}}")
        try template.validate(requiring: ["question"], for: "test")
        let error = try #require(throws: LanguageModelError.self) {
            try template.validate(requiring: ["question", "subanswers"], for: "synthesis")
        }
        #expect(error.message == "the synthesis prompt lacks {{subanswers}}")
    }
}
